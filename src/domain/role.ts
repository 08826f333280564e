export const ROLES = ["member", "lead", "manager", "adviser", "sponsor", "admin"] as const;
export type Role = (typeof ROLES)[number];

/** Roles within one project; `admin` is organisation-wide only. */
export type ProjectRole = Exclude<Role, "admin">;
export const PROJECT_ROLES = ROLES.filter((role): role is ProjectRole => role !== "admin");

export const DISCIPLINES = [
  "lead",
  "data-it",
  "domain-expert",
  "policy",
  "legal-privacy",
  "communication",
  "user-resident",
  "external-partner",
] as const;
export type Discipline = (typeof DISCIPLINES)[number];

export const SECTORS = ["government", "market", "knowledge", "residents"] as const;
export type Sector = (typeof SECTORS)[number];
