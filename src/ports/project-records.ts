import type { Cadence } from "../domain/cadence.ts";
import type { ChannelLanguage } from "../domain/channel-language.ts";
import type { Platform } from "../domain/inbound-event.ts";
import type { Locale } from "../domain/locale.ts";
import type { Phase } from "../domain/phase.ts";
import type { Role } from "../domain/role.ts";
import type { QuietHours } from "../domain/working-time.ts";

export type Address = { platform: Platform; conversationRef: string };

export type PersonRecord = {
  id: string;
  organisationId: string;
  displayName: string;
  locale: Locale;
  /** The language stored for the person (theirs, or their chat client's when they joined); null: the organisation's applies; absent: not known. */
  ownLocale?: Locale | null;
  /** The person's own timezone, when they set one. */
  timezone: string | null;
  roles: Role[];
  /** Direct-message conversations, preferred platform first. */
  directs: Address[];
};

export type ProjectRecord = {
  id: string;
  organisationId: string;
  name: string;
  phase: Phase;
  phaseSince: Date;
  createdAt: Date;
  active: boolean;
  cadence: Cadence;
  /** When the cadence was set: its series of retro slots counts from here. */
  cadenceSince: Date | null;
  retroFormat: string;
  formatRotation: string[];
  holidayPolicy: "skip" | "move";
  skipNext: boolean;
  answerWindowMinutes: number;
  reminderAtPercent: number;
  anonymous: boolean;
  /** Every how many retros the team pulse comes; 0: never. */
  pulseEvery: number;
  /** The organisation's language: the project's lessons and themes are in it. */
  locale: Locale;
  /** What the team channel reads on Slack and Teams (the lead's choice; the organisation's by default). */
  language: ChannelLanguage;
  /** The organisation's timezone and hours for messages. */
  timezone: string;
  quiet: QuietHours;
  minGroupSize: number;
  channels: Address[];
  /** Members and leads: the people who answer retros. */
  participants: (PersonRecord & { projectRole: "member" | "lead"; absent: boolean; discipline: string | null })[];
  managers: PersonRecord[];
  /** Opdrachtgevers: a project stuck on its checkpoints is escalated to them. */
  sponsors: PersonRecord[];
};
