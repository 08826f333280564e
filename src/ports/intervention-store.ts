// What advisers marked on suggested interventions, the organisation's own interventions, and
// the before/after figures of given ones. Implemented in src/persistence/intervention-repository.ts.

import type { InterventionKind } from "../domain/intervention.ts";
import type { CustomIntervention, GivenFacts, InterventionMark } from "../domain/intervention-loop.ts";

export type NewMark = Omit<InterventionMark, "id" | "digestId"> & {
  organisationId: string;
  digestId: string;
  /** The form's own key: a second send of the same form changes nothing. */
  formKey: string;
};

export type InterventionStore = {
  /** The organisation's marks, newest first. */
  marks(organisationId: string): Promise<InterventionMark[]>;
  /** False when a mark with this form key exists already. */
  mark(input: NewMark): Promise<boolean>;
  /** A planned one becomes given; "already" when this form did so before, "not-planned" otherwise. */
  markGiven(input: {
    organisationId: string;
    markId: string;
    givenOn: string;
    formKey: string;
  }): Promise<"given" | "already" | "not-planned">;
  custom(organisationId: string): Promise<CustomIntervention[]>;
  /** False when an intervention with this form key exists already. */
  addCustom(input: {
    organisationId: string;
    theme: string;
    kind: InterventionKind;
    title: string;
    description: string;
    formKey: string;
  }): Promise<boolean>;
  /** Figures before and after each intervention given on a day in [since, until). */
  givenFacts(input: { organisationId: string; since: Date; until: Date }): Promise<GivenFacts[]>;
  /** Projects an adviser may name: running ones that are not anonymous, by name. */
  choosableProjects(organisationId: string): Promise<{ id: string; name: string }[]>;
  /** The names of these projects of the organisation; null for an anonymous one. */
  projectNames(organisationId: string, projectIds: readonly string[]): Promise<Map<string, string | null>>;
};
