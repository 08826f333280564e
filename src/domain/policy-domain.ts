/**
 * The policy domains (beleidsdomeinen) a municipality organises its work in; a lesson may name
 * one so advisers find what fits their field. Labels: prompts/lessons.*.yaml, `domains.<id>`.
 */
export const POLICY_DOMAINS = ["public-space", "housing", "mobility", "social"] as const;
export type PolicyDomain = (typeof POLICY_DOMAINS)[number];
