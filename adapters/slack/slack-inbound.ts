// Slack payloads → the core's InboundEvent, and the core's replies back to the person.
// Every request that may change something was recorded before Bolt saw it (see
// durable-receiver.ts); each listener acknowledges first and then runs the core as that
// request's recorded handling, so Slack's 3-second deadline holds however slow the core is
// and a crash after the acknowledgement loses nothing. A form submission is the one
// exception: its field errors can only be shown in the acknowledgement (slack-interactions.ts).

import type { App } from "@slack/bolt";
import pLimit from "p-limit";
import { OPEN_FORM_ACTION } from "../../src/domain/chat-actions.ts";
import type { InboundEvent } from "../../src/domain/inbound-event.ts";
import type { Locale } from "../../src/domain/locale.ts";
import type { Message } from "../../src/domain/message.ts";
import type { EventHandler } from "../../src/ports/chat-adapter.ts";
import type { InstallStore } from "../../src/ports/install-store.ts";
import type { Logger } from "../../src/ports/logger.ts";
import { conversationRef, directRefFor } from "./conversation-ref.ts";
import { type AckWatch, durably } from "./durable-receiver.ts";
import type { ProfileCache } from "./profile-cache.ts";
import { baseActionId, type SlackCopy } from "./render-blocks.ts";
import { FORM_CALLBACK_ID, renderHome } from "./render-views.ts";
import { type ButtonArgs, createSlackInteractions } from "./slack-interactions.ts";
import { createSlackPeople, errorName } from "./slack-people.ts";
import { createSlackReplies } from "./slack-replies.ts";
import { unescapeSlack } from "./slack-text.ts";

export type HomeViewer = (who: { tenantId: string; platformUserId: string }) => Promise<Message | null>;

export type InboundContext = {
  handler(): EventHandler | undefined;
  copy(locale: Locale): SlackCopy;
  /** Asks the person to invite Leerlus to a channel it cannot join by itself. */
  inviteText(locale: Locale): string;
  profiles: ProfileCache;
  installs: InstallStore;
  homeView: HomeViewer;
  /** The requests waiting for their acknowledgement, which the handling lets go first. */
  acks?: AckWatch;
  /** Single-workspace mode: the first person Leerlus meets in an unregistered workspace installs it. */
  singleWorkspace: boolean;
  /** Tokens of a workspace were revoked or the app uninstalled: forget cached clients. */
  onUninstalled(teamId: string): void;
  logger: Logger;
};

/**
 * Work after the acknowledgement shares the event loop with the acknowledgements of the
 * next requests; a few at a time keeps a burst of slow core work from delaying them.
 */
const BACKGROUND_CONCURRENCY = 2;
/**
 * Each handling starts once no request waits for its acknowledgement, or after this long: an
 * acknowledgement has 3 seconds, and under a steady stream of requests the handling still
 * moves on.
 */
const ACKS_FIRST_MAX_MS = 250;

export function registerInbound(app: App, ctx: InboundContext): void {
  const limit = pLimit(BACKGROUND_CONCURRENCY);
  const background = <T>(work: () => Promise<T>) =>
    limit(async () => {
      await ctx.acks?.idle(ACKS_FIRST_MAX_MS);
      return work();
    });

  // Without a handler (stopping, or not started yet) the request fails and is tried again later.
  async function dispatch(event: InboundEvent): Promise<Message[]> {
    const handler = ctx.handler();
    if (!handler)
      throw Object.assign(new Error("Leerlus is not handling Slack requests"), { code: "SLACK_NOT_STARTED" });
    return handler(event);
  }

  const people = createSlackPeople({ dispatch, ...ctx });
  const replies = createSlackReplies(ctx);

  const { onCommand, onButton, onSubmission } = createSlackInteractions({ dispatch, people, replies, ...ctx });

  app.command("/leerlus", async (args) => {
    await args.ack();
    await durably(args.context, () => background(() => onCommand(args)));
  });

  app.action({ type: "block_actions" }, async (args) => {
    await args.ack();
    if (args.action.type !== "button") return;
    const button = args as ButtonArgs;
    // The Answer button's trigger_id expires after 3 s: opening its modal does not wait in line.
    if (baseActionId(args.action.action_id) === OPEN_FORM_ACTION) return onButton(button);
    await durably(args.context, () => background(() => onButton(button)));
  });

  app.view(FORM_CALLBACK_ID, async (args) => durably(args.context, () => onSubmission(args)));

  registerEvents(app, { ...ctx, dispatch, people, replies });
}

type EventContext = InboundContext & {
  dispatch(event: InboundEvent): Promise<Message[]>;
  people: ReturnType<typeof createSlackPeople>;
  replies: ReturnType<typeof createSlackReplies>;
};

function registerEvents(app: App, ctx: EventContext): void {
  registerDirectMessages(app, ctx);
  registerHomeTab(app, ctx);
  registerChannelJoins(app, ctx);
  registerUninstalls(app, ctx);
}

/** A message in the person's direct conversation with Leerlus: a command or a typed answer. */
function registerDirectMessages(app: App, { dispatch, people, replies }: EventContext): void {
  app.message(async ({ message, body, client, context }) => {
    if (message.channel_type !== "im" || message.subtype !== undefined || !message.user) return;
    const teamId = context.teamId ?? message.team ?? "";
    const userId = message.user;
    await durably(context, async () => {
      await people.meet(client, teamId, userId);
      const ref = conversationRef(teamId, message.channel, userId);
      const answer = await dispatch({
        ...(await people.base(client, teamId, userId, ref)),
        type: "message",
        text: unescapeSlack(message.text ?? ""),
        // Only the app's own DMs reach here (channel_type im).
        direct: true,
        ...(typeof body.event_id === "string" ? { eventKey: `slack:${teamId}:${body.event_id}` } : {}),
      });
      await replies.show(answer, { client, teamId, userId, channel: message.channel });
    });
  });
}

function registerHomeTab(app: App, ctx: EventContext): void {
  app.event("app_home_opened", async ({ event, client, context }) => {
    if (event.tab !== "home") return;
    const teamId = context.teamId ?? "";
    await durably(context, async () => {
      await ctx.people.meet(client, teamId, event.user);
      const home = await ctx.homeView({ tenantId: teamId, platformUserId: event.user });
      if (!home) return;
      const copy = ctx.copy(await ctx.profiles.locale(client, teamId, event.user));
      await client.views.publish({ user_id: event.user, view: renderHome(home, copy) }).catch((error) => {
        ctx.logger.warn({ code: "SLACK_REPLY_FAILED", what: "views.publish", err: errorName(error) }, "no Home tab");
      });
    });
  });
}

/** Leerlus added to a channel (the inviter is welcomed), or a person joining one it is in. */
function registerChannelJoins(app: App, { dispatch, people, replies }: EventContext): void {
  app.event("member_joined_channel", async ({ event, client, context }) => {
    const teamId = context.teamId ?? event.team;
    await durably(context, async () => {
      if (context.botUserId && event.user === context.botUserId) {
        // Leerlus itself was added: whoever added it gets the welcome with "set up this channel".
        if (!event.inviter) return;
        const inviterDirect = directRefFor(teamId, event.inviter);
        const inviter = await people.base(client, teamId, event.inviter, conversationRef(teamId, event.channel));
        const welcome = await dispatch({ ...inviter, type: "installed", directRef: inviterDirect });
        await replies.show(welcome, { client, teamId, userId: event.inviter, channel: event.channel });
        return;
      }
      const directRef = directRefFor(teamId, event.user);
      const who = await people.base(client, teamId, event.user, conversationRef(teamId, event.channel));
      await dispatch({ ...who, type: "memberJoined", directRef });
    });
  });
}

/** The app uninstalled or its bot token revoked: the workspace's tokens are forgotten. */
function registerUninstalls(app: App, ctx: EventContext): void {
  const forget = (teamId: string, code: string, what: string) => async () => {
    await ctx.installs.remove("slack", teamId);
    ctx.onUninstalled(teamId);
    ctx.logger.info({ code }, what);
  };

  app.event("app_uninstalled", async ({ context, body }) => {
    const teamId = context.teamId ?? body.team_id;
    await durably(context, forget(teamId, "SLACK_UNINSTALLED", "Slack workspace uninstalled; its tokens are removed"));
  });

  app.event("tokens_revoked", async ({ event, context, body }) => {
    // Leerlus stores only the bot token; user tokens it never had need no cleaning.
    if ((event.tokens.bot ?? []).length === 0) return;
    const teamId = context.teamId ?? body.team_id;
    await durably(
      context,
      forget(teamId, "SLACK_TOKENS_REVOKED", "Slack bot token revoked; the installation is removed"),
    );
  });
}
