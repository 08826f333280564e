import type { SenseSessionRecord, SenseStore } from "../ports/sense-store.ts";
import type { Db } from "./database.ts";

const SESSION_COLUMNS = [
  "cycleId",
  "projectId",
  "votesEach",
  "votingClosesAt",
  "closedAt",
  "live",
  "liveStep",
] as const;

/** Groups and votes of a retro's sense-making; every write is keyed and safe to repeat. */
export function createSenseRepository(db: Db): SenseStore {
  const session = (cycleId: string): Promise<SenseSessionRecord | null> =>
    db
      .selectFrom("SenseSession")
      .select(SESSION_COLUMNS)
      .where("cycleId", "=", cycleId)
      .executeTakeFirst()
      .then((row) => row ?? null);

  const openSessions = (projectIds: readonly string[]) =>
    db
      .selectFrom("SenseSession")
      .select(SESSION_COLUMNS)
      .where("projectId", "in", [...projectIds])
      .where("closedAt", "is", null);

  return {
    async create(input) {
      const created = await db
        .insertInto("SenseSession")
        .values({
          cycleId: input.cycleId,
          projectId: input.projectId,
          votesEach: input.votesEach,
          votingClosesAt: input.votingClosesAt,
        })
        .onConflict((conflict) => conflict.doNothing())
        .returning("cycleId")
        .executeTakeFirst();
      if (!created) return false;
      for (const [index, group] of input.groups.entries()) {
        const { id } = await db
          .insertInto("SenseGroup")
          .values({ cycleId: input.cycleId, position: index + 1, themeId: group.themeId })
          .returning("id")
          .executeTakeFirstOrThrow();
        if (group.answerIds.length === 0) continue;
        await db
          .insertInto("SenseGroupAnswer")
          .values(group.answerIds.map((answerId) => ({ answerId, groupId: id })))
          .onConflict((conflict) => conflict.doNothing())
          .execute();
      }
      return true;
    },

    session,

    async cycleOfGroup(groupId) {
      const row = await db.selectFrom("SenseGroup").select("cycleId").where("id", "=", groupId).executeTakeFirst();
      return row?.cycleId ?? null;
    },

    async latest(projectId) {
      const row = await db
        .selectFrom("SenseSession")
        .select(SESSION_COLUMNS)
        .where("projectId", "=", projectId)
        .orderBy("createdAt", "desc")
        .limit(1)
        .executeTakeFirst();
      return row ?? null;
    },

    async due(projectIds, now) {
      if (projectIds.length === 0) return [];
      return openSessions(projectIds).where("votingClosesAt", "<=", now).execute();
    },

    async groups(cycleId) {
      const groups = await db
        .selectFrom("SenseGroup")
        .select(["id", "position", "themeId"])
        .where("cycleId", "=", cycleId)
        .orderBy("position")
        .execute();
      if (groups.length === 0) return [];
      const ids = groups.map((group) => group.id);
      const answers = await db
        .selectFrom("SenseGroupAnswer")
        .innerJoin("Answer", "Answer.id", "SenseGroupAnswer.answerId")
        .select(["SenseGroupAnswer.groupId", "Answer.id", "Answer.text", "Answer.questionKey"])
        .where("SenseGroupAnswer.groupId", "in", ids)
        .where("Answer.text", "is not", null)
        .orderBy("Answer.text")
        .orderBy("Answer.id")
        .execute();
      const votes = await db
        .selectFrom("SenseVote")
        .select(["groupId", (eb) => eb.fn.countAll<string>().as("votes")])
        .where("groupId", "in", ids)
        .groupBy("groupId")
        .execute();
      const totals = new Map(votes.map((row) => [row.groupId, Number(row.votes)]));
      return groups.map((group) => ({
        ...group,
        answers: answers
          .filter((answer) => answer.groupId === group.id)
          .map((answer) => ({ id: answer.id, text: answer.text ?? "", questionKey: answer.questionKey })),
        votes: totals.get(group.id) ?? 0,
      }));
    },

    async votedGroups(cycleId, voterKey) {
      const rows = await db
        .selectFrom("SenseVote")
        .select("groupId")
        .where("cycleId", "=", cycleId)
        .where("voterKey", "=", voterKey)
        .execute();
      return rows.map((row) => row.groupId);
    },

    async spent(cycleId) {
      const rows = await db
        .selectFrom("SenseVote")
        .select(["voterKey", (eb) => eb.fn.countAll<string>().as("votes")])
        .where("cycleId", "=", cycleId)
        .groupBy("voterKey")
        .execute();
      return new Map(rows.map((row) => [row.voterKey, Number(row.votes)]));
    },

    async vote(input) {
      const inserted = await db
        .insertInto("SenseVote")
        .values({ groupId: input.groupId, cycleId: input.cycleId, voterKey: input.voterKey, createdAt: input.at })
        .onConflict((conflict) => conflict.doNothing())
        .returning("groupId")
        .executeTakeFirst();
      return inserted !== undefined;
    },

    async unvote(groupId, voterKey) {
      const result = await db
        .deleteFrom("SenseVote")
        .where("groupId", "=", groupId)
        .where("voterKey", "=", voterKey)
        .executeTakeFirst();
      return Number(result.numDeletedRows) > 0;
    },

    async merge(fromId, intoId) {
      await db.updateTable("SenseGroupAnswer").set({ groupId: intoId }).where("groupId", "=", fromId).execute();
      // A voter who voted for both keeps one vote on the merged group and gets the other back.
      await db
        .updateTable("SenseVote")
        .set({ groupId: intoId })
        .where("groupId", "=", fromId)
        .where(({ not, exists, selectFrom }) =>
          not(
            exists(
              selectFrom("SenseVote as other")
                .select("other.groupId")
                .where("other.groupId", "=", intoId)
                .whereRef("other.voterKey", "=", "SenseVote.voterKey"),
            ),
          ),
        )
        .execute();
      await db.deleteFrom("SenseGroup").where("id", "=", fromId).execute();
    },

    async split(cycleId, answerId) {
      const last = await db
        .selectFrom("SenseGroup")
        .select((eb) => eb.fn.max("position").as("position"))
        .where("cycleId", "=", cycleId)
        .executeTakeFirst();
      const position = (last?.position ?? 0) + 1;
      const { id } = await db
        .insertInto("SenseGroup")
        .values({ cycleId, position, themeId: null })
        .returning("id")
        .executeTakeFirstOrThrow();
      await db.updateTable("SenseGroupAnswer").set({ groupId: id }).where("answerId", "=", answerId).execute();
      return position;
    },

    async close(cycleId, at) {
      const result = await db
        .updateTable("SenseSession")
        .set({ closedAt: at })
        .where("cycleId", "=", cycleId)
        .where("closedAt", "is", null)
        .executeTakeFirst();
      return Number(result.numUpdatedRows) === 1;
    },

    async goLive(cycleId, closesAt) {
      const result = await db
        .updateTable("SenseSession")
        .set({ live: true, votingClosesAt: closesAt })
        .where("cycleId", "=", cycleId)
        .where("closedAt", "is", null)
        .executeTakeFirst();
      return Number(result.numUpdatedRows) === 1;
    },

    async liveOpen(projectIds) {
      if (projectIds.length === 0) return [];
      return openSessions(projectIds).where("live", "=", true).execute();
    },

    async stepLive(cycleId, from) {
      const result = await db
        .updateTable("SenseSession")
        .set({ liveStep: from + 1 })
        .where("cycleId", "=", cycleId)
        .where("live", "=", true)
        .where("closedAt", "is not", null)
        .where((eb) =>
          from === 0 ? eb.or([eb("liveStep", "is", null), eb("liveStep", "=", 0)]) : eb("liveStep", "=", from),
        )
        .executeTakeFirst();
      return Number(result.numUpdatedRows) === 1;
    },

    async votesEach(projectId) {
      const row = await db.selectFrom("Project").select("votesEach").where("id", "=", projectId).executeTakeFirst();
      return row?.votesEach ?? null;
    },

    async setVotesEach(projectId, votes) {
      await db.updateTable("Project").set({ votesEach: votes }).where("id", "=", projectId).execute();
    },
  };
}
