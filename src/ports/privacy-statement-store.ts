import type { PrivacyStatementFacts, PrivacyStatementFields } from "../domain/privacy-statement.ts";

/** The organisation-specific parts of the privacy statement, and the settings it quotes. */
export type PrivacyStatementStore = {
  /** For `organisationId`, or without one the installation's first organisation; null when there is none (or no such one). */
  facts(organisationId?: string): Promise<PrivacyStatementFacts | null>;
  /** Sets the given fields (null clears one); returns the fields as stored, or null without such an organisation. */
  update(
    organisationId: string,
    changes: Partial<Record<keyof PrivacyStatementFields, string | null>>,
  ): Promise<PrivacyStatementFields | null>;
};
