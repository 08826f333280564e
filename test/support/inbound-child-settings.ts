// Shared by the inbound crash tests and the process they start (test/support/inbound-child.ts).
export const CHILD_SLACK_SECRET = "inbound-child-signing-secret";
export const CHILD_TEAMS_APP_ID = "00000000-0000-4000-8000-00000000c41d";
