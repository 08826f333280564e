export type AuditStore = {
  record(input: {
    organisationId: string;
    actorId: string | null;
    kind: string;
    subject: string;
    data?: Record<string, unknown>;
  }): Promise<void>;
};
