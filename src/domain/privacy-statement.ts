// The parts of a privacy statement (AVG article 13) that only the organisation can fill in.
// Purposes, categories of data, retention and rights follow from how Leerlus works and its
// settings; who is responsible, the DPO, the legal basis and the processors do not.

/** The fields an administrator fills in, in the order the statement shows them. */
export const PRIVACY_FIELDS = ["controller", "controllerContact", "dpoContact", "legalBasis", "processors"] as const;
export type PrivacyField = (typeof PRIVACY_FIELDS)[number];

export const PRIVACY_FIELD_MAX = 1_000;

export type PrivacyStatementFields = Partial<Record<PrivacyField, string>>;

/** The known fields of a stored value, trimmed; empty texts and unknown keys are dropped, so a field is filled in or missing. */
export function privacyFields(stored: unknown): PrivacyStatementFields {
  const record = stored && typeof stored === "object" ? (stored as Record<string, unknown>) : {};
  const fields: PrivacyStatementFields = {};
  for (const field of PRIVACY_FIELDS) {
    const value = record[field];
    if (typeof value === "string" && value.trim() !== "") fields[field] = value.trim().slice(0, PRIVACY_FIELD_MAX);
  }
  return fields;
}

/** What the statement is built from: the organisation's fields and its retention settings. */
export type PrivacyStatementFacts = {
  organisationName: string | null;
  fields: PrivacyStatementFields;
  /** Answers and web chat history are deleted after this many months; null: kept until erased. */
  retentionMonths: number | null;
  /** Copies of sent messages are deleted after this many days. */
  outboxRetentionDays: number;
  /** Figures about fewer people than this are not shown in overviews. */
  minGroupSize: number;
};

export function missingFields(fields: PrivacyStatementFields): PrivacyField[] {
  return PRIVACY_FIELDS.filter((field) => !fields[field]);
}
