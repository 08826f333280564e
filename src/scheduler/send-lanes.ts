import type { SendLanes } from "../use-cases/deliver-message.ts";

/**
 * A platform's sends in one worker process, at most `limit` under way at once: sends whose
 * slot came after a wait first, then the others tenant by tenant, in the order the tenants
 * came. Each tenant's burst goes out together, however its messages were split over jobs.
 *
 * Why: every window of a tenant's budget counts from the answers of the window before it
 * (see delivery-budget.ts), so a send whose slot has come and then queues behind other
 * tenants' bursts delays its tenant's next windows too, and leaves the budget of the window
 * it was due in unused; and a burst that goes out mixed with other tenants' bursts takes as
 * long as all of them. A tenant that starts a little later loses nothing of its pace. The
 * limit keeps the queue in this process, where it is ordered, instead of in the HTTP
 * client's pool, which would send in the order the sends were made.
 */
export function createSendLanes(limit: number): SendLanes {
  const waited: (() => void)[] = [];
  // Map iteration follows insertion: the first tenant in it came first.
  const fresh = new Map<string, (() => void)[]>();
  let running = 0;
  const nextFresh = () => {
    const first = fresh.entries().next();
    if (first.done) return undefined;
    const [tenant, queue] = first.value;
    const start = queue.shift();
    if (queue.length === 0) fresh.delete(tenant);
    return start;
  };
  const next = () => {
    while (running < limit) {
      const start = waited.shift() ?? nextFresh();
      if (!start) return;
      running++;
      start();
    }
  };
  return (send, work) =>
    new Promise((resolve, reject) => {
      const start = () => {
        Promise.resolve()
          .then(work)
          .then(resolve, reject)
          .finally(() => {
            running--;
            next();
          });
      };
      if (send.waited) waited.push(start);
      else {
        const queue = fresh.get(send.tenant);
        if (queue) queue.push(start);
        else fresh.set(send.tenant, [start]);
      }
      next();
    });
}
