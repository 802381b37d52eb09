// A second process holding a data folder, for the single-instance tests: it takes the lock, says "held",
// and waits to be killed (SIGKILL plays a crash: nothing is cleaned up).
import { lockDataFolder } from '../../main/instanceLock';

lockDataFolder(process.argv[2]!, 'browser');
process.stdout.write('held\n');
setInterval(() => undefined, 60_000);
