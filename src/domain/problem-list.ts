/** The first `max` problems of an import, and how many there were in all. */
export type ProblemList<T> = { add(problem: T): void; readonly shown: T[]; readonly total: number };

export function problemList<T>(max: number): ProblemList<T> {
  const shown: T[] = [];
  let total = 0;
  return {
    add(problem) {
      total++;
      if (shown.length < max) shown.push(problem);
    },
    shown,
    get total() {
      return total;
    },
  };
}
