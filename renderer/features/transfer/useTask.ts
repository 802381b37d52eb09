import { useCallback, useEffect, useRef, useState } from 'react';
import type { Task } from '../../../contract/transfer';
import { api, must } from '../../lib/api';

const pollMs = 250;

/**
 * Follows a background task in main (export, import, restore) by polling its progress: the same on both
 * transports, and a closed modal simply stops asking. `cancel` asks main to stop between batches.
 */
export function useTask() {
  const [task, setTask] = useState<Task | null>(null);
  const [error, setError] = useState<unknown>(null);
  const current = useRef<string | null>(null);

  useEffect(() => () => void (current.current = null), []);

  const follow = useCallback(async (taskId: string): Promise<Task | null> => {
    current.current = taskId;
    setError(null);
    for (;;) {
      if (current.current !== taskId) return null;
      try {
        const next = await must(api().tasks.get({ taskId }));
        if (current.current !== taskId) return null;
        setTask(next);
        if (next.state !== 'running') return next;
      } catch (failure) {
        setError(failure);
        return null;
      }
      await new Promise((resolve) => setTimeout(resolve, pollMs));
    }
  }, []);

  const cancel = useCallback(async () => {
    if (!current.current) return;
    try {
      setTask(await must(api().tasks.cancel({ taskId: current.current })));
    } catch (failure) {
      setError(failure);
    }
  }, []);

  const reset = useCallback(() => {
    current.current = null;
    setTask(null);
    setError(null);
  }, []);

  return { task, error, follow, cancel, reset, setError };
}
