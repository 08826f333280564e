// What making sense together needs from the system of record: a retro's answer groups and the
// team's secret votes on them. Voters are keyed hashes, never person ids.

export type SenseSessionRecord = {
  cycleId: string;
  projectId: string;
  /** The project's votes per member when the voting opened. */
  votesEach: number;
  votingClosesAt: Date;
  closedAt: Date | null;
  /** Run live (`retro live`): a countdown while open, a walk-through of the top groups once closed. */
  live: boolean;
  /** How far the live walk-through got (0 = the first top group); null before it starts. */
  liveStep: number | null;
};

export type SenseGroupRecord = {
  id: string;
  /** The number the team sees; stable while groups are merged and split. */
  position: number;
  themeId: string | null;
  /** Sorted by text, so the order does not follow who answered first. */
  answers: { id: string; text: string; questionKey: string }[];
  votes: number;
};

export type SenseStore = {
  /** Opens the cycle's sense-making with its groups once; false when it was already opened. */
  create(input: {
    cycleId: string;
    projectId: string;
    votesEach: number;
    votingClosesAt: Date;
    groups: { themeId: string | null; answerIds: string[] }[];
  }): Promise<boolean>;
  session(cycleId: string): Promise<SenseSessionRecord | null>;
  /** The cycle a group belongs to; null when the group no longer exists (merged away). */
  cycleOfGroup(groupId: string): Promise<string | null>;
  /** The project's latest sense-making, open or closed; null when it never had one. */
  latest(projectId: string): Promise<SenseSessionRecord | null>;
  /** Those of the projects' sessions still open whose voting time is up at `now`. */
  due(projectIds: readonly string[], now: Date): Promise<SenseSessionRecord[]>;
  /** The cycle's groups by position, with their answers and vote totals. */
  groups(cycleId: string): Promise<SenseGroupRecord[]>;
  /** The groups one voter voted for. */
  votedGroups(cycleId: string, voterKey: string): Promise<string[]>;
  /** Votes spent per voter key. */
  spent(cycleId: string): Promise<Map<string, number>>;
  /** Counts a vote once; false when this voter already voted for the group. */
  vote(input: { cycleId: string; groupId: string; voterKey: string; at: Date }): Promise<boolean>;
  /** Takes a vote back; false when there was none. */
  unvote(groupId: string, voterKey: string): Promise<boolean>;
  /** Moves the answers and votes of `fromId` into `intoId`; a voter's vote on both counts once. */
  merge(fromId: string, intoId: string): Promise<void>;
  /** Puts the answer in a new group of its own at the end; returns its position. */
  split(cycleId: string, answerId: string): Promise<number>;
  /** Closes the voting once; false when it was closed already. */
  close(cycleId: string, at: Date): Promise<boolean>;
  /** Runs the open voting live, closing at `closesAt`; false when it was closed already. */
  goLive(cycleId: string, closesAt: Date): Promise<boolean>;
  /** Those of the projects' sessions run live whose voting is still open. */
  liveOpen(projectIds: readonly string[]): Promise<SenseSessionRecord[]>;
  /** Moves the walk-through from step `from` to the next once; false when it was not at `from`. */
  stepLive(cycleId: string, from: number): Promise<boolean>;
  votesEach(projectId: string): Promise<number | null>;
  setVotesEach(projectId: string, votes: number): Promise<void>;
};
