import { setTimeout as sleep } from 'node:timers/promises';

/** Polls until cond() holds; bounded in time so no test can hang on it. */
export async function until(cond: () => boolean | Promise<boolean>, ms = 10000, what = 'condition'): Promise<void> {
  const end = Date.now() + ms;
  while (!(await cond())) {
    if (Date.now() > end) throw new Error(`${what} not met within ${ms} ms`);
    await sleep(10);
  }
}
