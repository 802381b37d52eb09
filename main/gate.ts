/**
 * Requests run side by side (`shared`); a few operations must run alone (`exclusive`: putting a backup in
 * place of the open database). An exclusive one waits for the requests in flight to finish, and new ones
 * wait until it is done; while one waits, new shared requests queue behind it so it is never starved.
 */
export interface Gate {
  shared<T>(run: () => Promise<T>): Promise<T>;
  exclusive<T>(run: () => Promise<T>): Promise<T>;
}

export function createGate(): Gate {
  let running = 0;
  let alone = false;
  let waitingToRunAlone = 0;
  let sleepers: (() => void)[] = [];
  const sleep = () => new Promise<void>((resolve) => sleepers.push(resolve));
  const wakeAll = () => {
    const woken = sleepers;
    sleepers = [];
    for (const wake of woken) wake();
  };

  return {
    async shared(run) {
      while (alone || waitingToRunAlone > 0) await sleep();
      running++;
      try {
        return await run();
      } finally {
        running--;
        wakeAll();
      }
    },
    async exclusive(run) {
      waitingToRunAlone++;
      try {
        while (alone || running > 0) await sleep();
      } finally {
        waitingToRunAlone--;
      }
      alone = true;
      try {
        return await run();
      } finally {
        alone = false;
        wakeAll();
      }
    },
  };
}
