// What the digest page's controls ask of the core (src/use-cases/digest/intervention-marks.ts):
// an adviser marks a suggested intervention, marks a planned one given, or adds their own.
// Each form is raw input the core validates; each acts once, by the key the page put in it.

export type MarkDone = "planned" | "given" | "dismissed" | "added" | "already";
export type MarkProblem = "form" | "date" | "future" | "intervention" | "project" | "not-planned" | "fields";
export type MarkOutcome = { ok: true; done: MarkDone } | { ok: false; problem: MarkProblem };

/** Who marks: the adviser the verified digest link names. */
export type DigestReaderRef = { id: string; organisationId: string };

export type InterventionMarking = {
  /** Plans, gives or dismisses a suggestion of this digest. */
  mark(reader: DigestReaderRef, digestId: string, raw: unknown): Promise<MarkOutcome>;
  markGiven(reader: DigestReaderRef, markId: string, raw: unknown): Promise<MarkOutcome>;
  addOwn(reader: DigestReaderRef, raw: unknown): Promise<MarkOutcome>;
};
