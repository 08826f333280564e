import type { PrivacyStore } from "../ports/privacy-store.ts";
import type { ChatAccount } from "../ports/store.ts";
import type { Db } from "./prisma-client.ts";

const ERASURE_TIMEOUT = { timeout: 30_000, maxWait: 10_000 };

export function createPrivacyRepository(db: Db): PrivacyStore {
  return {
    async exportPerson(personId, responseKeys) {
      const person = await db.person.findUnique({
        where: { id: personId },
        include: {
          organisation: { select: { id: true, name: true } },
          identities: { select: { platform: true, tenantId: true, platformUserId: true } },
          absences: { select: { startsOn: true, endsOn: true } },
          memberships: {
            select: {
              projectId: true,
              role: true,
              discipline: true,
              sector: true,
              project: { select: { name: true } },
            },
          },
          deliveries: { select: { cycleId: true, answeredAt: true, createdAt: true } },
          enrolments: { select: { projectId: true, enrolledAt: true } },
          actions: { select: { id: true, text: true, status: true, dueAt: true, createdAt: true } },
        },
      });
      if (!person) return null;
      const answers = await db.answer.findMany({
        where: { OR: [{ personId }, { responseKey: { in: responseKeys } }] },
        select: {
          cycleId: true,
          questionKey: true,
          text: true,
          score: true,
          late: true,
          createdAt: true,
          updatedAt: true,
        },
        orderBy: { createdAt: "asc" },
      });
      const audit = await db.auditEvent.findMany({
        where: { OR: [{ actorId: personId }, { subject: personId }] },
        select: { kind: true, subject: true, createdAt: true },
        orderBy: { createdAt: "asc" },
      });
      return {
        exportedAt: new Date().toISOString(),
        person: {
          id: person.id,
          displayName: person.displayName,
          // From an import, or read from Slack or Teams to link the person's accounts.
          email: person.email,
          locale: person.locale,
          timezone: person.timezone,
          roles: person.roles,
          createdAt: person.createdAt,
          organisation: person.organisation,
        },
        identities: person.identities,
        absences: person.absences,
        memberships: person.memberships,
        /** Projects the channel's member list brought the person into (kept so `leave` lasts). */
        channelEnrolments: person.enrolments,
        retroInvitations: person.deliveries,
        answers,
        actionsOwned: person.actions,
        auditEvents: audit,
      };
    },

    async erasePerson(personId, responseKeys, erasedKey) {
      return db.$transaction(async (tx) => {
        const answers = await tx.answer.findMany({
          where: { OR: [{ personId }, { responseKey: { in: responseKeys } }] },
          select: { id: true },
        });
        const answerIds = answers.map((answer) => answer.id);
        const lessons = await tx.lesson.updateMany({
          where: { sourceAnswerId: { in: answerIds } },
          data: { sourceAnswerId: null },
        });
        const actions = await tx.actionItem.updateMany({ where: { ownerId: personId }, data: { ownerId: null } });
        await tx.actionItem.updateMany({
          where: { sourceAnswerId: { in: answerIds } },
          data: { sourceAnswerId: null },
        });
        const deletedAnswers = await tx.answer.deleteMany({ where: { id: { in: answerIds } } });
        // Forms shown to them, typed answers kept for undo (with the answer they replaced).
        await tx.formInstance.deleteMany({ where: { ownerKey: { in: responseKeys } } });
        // What was sent to them: the outbox's copies and the web chat's history.
        const directs = await tx.chatIdentity.findMany({
          where: { personId },
          select: { conversationRef: true, platform: true, tenantId: true, platformUserId: true },
        });
        if (erasedKey) {
          await tx.erasedIdentity.createMany({
            data: directs.map((identity) => ({ key: erasedKey(identity as ChatAccount) })),
            skipDuplicates: true,
          });
        }
        const refs = directs.flatMap((identity) => (identity.conversationRef ? [identity.conversationRef] : []));
        const webUsers = directs
          .filter((identity) => identity.platform === "web")
          .map((identity) => identity.platformUserId);
        const sent = await tx.outboxMessage.findMany({
          where: { conversationRef: { in: refs } },
          select: { id: true, bodyId: true },
        });
        const messages = await tx.outboxMessage.deleteMany({
          where: { id: { in: sent.map((message) => message.id) } },
        });
        await tx.outboxBody.deleteMany({
          where: { id: { in: [...new Set(sent.map((message) => message.bodyId))] }, messages: { none: {} } },
        });
        const webMessages = await tx.webMessage.deleteMany({
          where: { OR: [{ conversationRef: { in: refs } }, { visibleTo: { in: webUsers } }] },
        });
        const identities = await tx.chatIdentity.deleteMany({ where: { personId } });
        const deliveries = await tx.delivery.deleteMany({ where: { personId } });
        const memberships = await tx.membership.deleteMany({ where: { personId } });
        const people = await tx.person.deleteMany({ where: { id: personId } });
        return {
          person: people.count,
          answers: deletedAnswers.count,
          identities: identities.count,
          deliveries: deliveries.count,
          messages: messages.count,
          webMessages: webMessages.count,
          memberships: memberships.count,
          actionsUnassigned: actions.count,
          lessonsDelinked: lessons.count,
        };
        // The messages are found by conversation, which no index serves: give it time.
      }, ERASURE_TIMEOUT);
    },

    async deliveryIds(personId) {
      const rows = await db.delivery.findMany({ where: { personId }, select: { id: true } });
      return rows.map((row) => row.id);
    },

    async deleteAnswersBefore(organisationId, before) {
      return db.$transaction(async (tx) => {
        const old = await tx.answer.findMany({
          where: { cycle: { closedAt: { lt: before }, project: { organisationId } } },
          select: { id: true },
        });
        const ids = old.map((answer) => answer.id);
        if (ids.length === 0) return 0;
        await tx.lesson.updateMany({ where: { sourceAnswerId: { in: ids } }, data: { sourceAnswerId: null } });
        await tx.actionItem.updateMany({ where: { sourceAnswerId: { in: ids } }, data: { sourceAnswerId: null } });
        return (await tx.answer.deleteMany({ where: { id: { in: ids } } })).count;
      });
    },

    async deleteWebHistoryBefore(organisationId, before) {
      const channels = await db.projectChannel.findMany({
        where: { platform: "web", project: { organisationId } },
        select: { conversationRef: true },
      });
      const directs = await db.chatIdentity.findMany({
        where: { platform: "web", person: { organisationId } },
        select: { conversationRef: true },
      });
      const refs = [...channels, ...directs].flatMap((row) => (row.conversationRef ? [row.conversationRef] : []));
      if (refs.length === 0) return 0;
      return (await db.webMessage.deleteMany({ where: { conversationRef: { in: refs }, createdAt: { lt: before } } }))
        .count;
    },

    async auditLog(organisationId, limit) {
      return db.auditEvent.findMany({
        where: { organisationId },
        select: { kind: true, actorId: true, subject: true, createdAt: true },
        orderBy: { createdAt: "desc" },
        take: limit,
      });
    },

    async retentionMonths(organisationId) {
      const organisation = await db.organisation.findUnique({ where: { id: organisationId } });
      return organisation?.retentionMonths ?? null;
    },
  };
}
