// Slack payloads → the core's InboundEvent, and the core's replies back to the person.
// Every request that may change something was recorded before Bolt saw it (see
// durable-receiver.ts); each listener acknowledges first and then runs the core as that
// request's recorded handling, so Slack's 3-second deadline holds however slow the core is
// and a crash after the acknowledgement loses nothing. A form submission is the one
// exception: its field errors can only be shown in the acknowledgement (FORM_DEADLINE_MS).
import type {
  AllMiddlewareArgs,
  App,
  BlockAction,
  ButtonAction,
  SlackActionMiddlewareArgs,
  SlackCommandMiddlewareArgs,
  SlackViewMiddlewareArgs,
} from "@slack/bolt";
import type { InboundEvent } from "../../src/domain/inbound-event.ts";
import type { Locale } from "../../src/domain/locale.ts";
import type { Message } from "../../src/domain/message.ts";
import type { EventHandler } from "../../src/ports/chat-adapter.ts";
import type { InstallStore } from "../../src/ports/install-store.ts";
import type { Logger } from "../../src/ports/logger.ts";
import { limitConcurrency } from "../../src/scheduler/concurrency-limit.ts";
import { OPEN_FORM_ACTION } from "../../src/use-cases/open-retro-form.ts";
import { conversationRef, directRefFor, isConversationOf, isDirectChannel } from "./conversation-ref.ts";
import { durably, isReplay } from "./durable-receiver.ts";
import type { ProfileCache } from "./profile-cache.ts";
import { baseActionId, renderMessage, type SlackCopy } from "./render-blocks.ts";
import { FORM_CALLBACK_ID, readAnswers, readMetadata, renderHome } from "./render-views.ts";
import { createSlackPeople, errorName } from "./slack-people.ts";
import { createSlackReplies } from "./slack-replies.ts";

export { errorName } from "./slack-people.ts";

/** A view_submission must be answered within 3 s; past this the modal closes and replies go to the DM. */
const FORM_DEADLINE_MS = 2_500;

export type HomeViewer = (who: { tenantId: string; platformUserId: string }) => Promise<Message | null>;

export type InboundContext = {
  handler(): EventHandler | undefined;
  copy(locale: Locale): SlackCopy;
  profiles: ProfileCache;
  installs: InstallStore;
  homeView: HomeViewer;
  /** Single-workspace mode: the first person Leerlus meets in an unregistered workspace installs it. */
  singleWorkspace: boolean;
  /** Tokens of a workspace were revoked or the app uninstalled: forget cached clients. */
  onUninstalled(teamId: string): void;
  logger: Logger;
};

type CommandArgs = SlackCommandMiddlewareArgs & AllMiddlewareArgs;
type ButtonArgs = SlackActionMiddlewareArgs<BlockAction<ButtonAction>> & AllMiddlewareArgs;
type ViewArgs = SlackViewMiddlewareArgs & AllMiddlewareArgs;

/**
 * Work after the acknowledgement shares the event loop with the acknowledgements of the
 * next requests; a few at a time keeps a burst of slow core work from delaying them.
 */
const BACKGROUND_CONCURRENCY = 2;

export function registerInbound(app: App, ctx: InboundContext): void {
  const background = limitConcurrency(BACKGROUND_CONCURRENCY);

  // Without a handler (stopping, or not started yet) the request fails and is tried again later.
  async function dispatch(event: InboundEvent): Promise<Message[]> {
    const handler = ctx.handler();
    if (!handler)
      throw Object.assign(new Error("Leerlus is not handling Slack requests"), { code: "SLACK_NOT_STARTED" });
    return handler(event);
  }

  const people = createSlackPeople({ dispatch, ...ctx });
  const replies = createSlackReplies(ctx);

  async function onCommand({ command, respond, client }: CommandArgs): Promise<void> {
    const { team_id: teamId, user_id: userId, channel_id: channel } = command;
    await people.meet(client, teamId, userId);
    const ref = conversationRef(teamId, channel, isDirectChannel(channel) ? userId : undefined);
    const answer = await dispatch({
      ...(await people.base(client, teamId, userId, ref)),
      type: "command",
      text: command.text.trim() || "help",
    });
    // A command that answers with a form (setup) opens it as a modal.
    await replies.deliver(
      answer,
      { client, teamId, userId, channel, respond },
      { triggerId: command.trigger_id, conversationRef: ref },
    );
  }

  async function onButton({ body, action, respond, client, context }: ButtonArgs): Promise<void> {
    const teamId = context.teamId ?? body.team?.id ?? "";
    const userId = body.user.id;
    const channel = body.channel?.id;
    await people.meet(client, teamId, userId);
    const ref = channel
      ? conversationRef(teamId, channel, isDirectChannel(channel) ? userId : undefined)
      : directRefFor(teamId, userId);
    const answer = await dispatch({
      ...(await people.base(client, teamId, userId, ref)),
      type: "action",
      actionId: baseActionId(action.action_id),
      value: action.value ?? "",
    });
    // Any button whose answer is a form (Answer, setup, evidence notes, gate review) opens a modal.
    const source = body.message && channel ? { channel, ts: body.message.ts } : undefined;
    await replies.deliver(
      answer,
      { client, teamId, userId, ...(channel ? { channel } : {}), ...(body.message ? { respond } : {}) },
      { triggerId: body.trigger_id, conversationRef: ref, ...(source ? { source } : {}) },
      body.message ? (reply, copy) => respond({ replace_original: true, ...renderMessage(reply, copy) }) : undefined,
    );
  }

  async function onSubmission({ ack, body, view, client, context }: ViewArgs): Promise<void> {
    const teamId = context.teamId ?? body.team?.id ?? "";
    const userId = body.user.id;
    const metadata = readMetadata(view.private_metadata);
    if (!metadata) return ack();
    // Only Leerlus writes private_metadata, but the conversation is still held to the signed
    // payload's workspace and person: a submission can never act in someone else's.
    if (!isConversationOf(metadata.conversationRef, teamId, userId)) {
      ctx.logger.warn({ code: "SLACK_FORM_FOREIGN_CONVERSATION" }, "a form named another conversation; ignored");
      return ack();
    }
    const answers = readAnswers(view.state.values as Parameters<typeof readAnswers>[0]);
    const working = (async () => {
      await people.meet(client, teamId, userId);
      return dispatch({
        ...(await people.base(client, teamId, userId, metadata.conversationRef)),
        type: "formSubmitted",
        actionId: metadata.actionId,
        value: metadata.value,
        answers,
      });
    })();
    // Handled again after a crash, there is no modal left to show errors in: they go to the DM.
    const live = !isReplay(context);
    const early = live ? await Promise.race([working, sleep(FORM_DEADLINE_MS).then(() => null)]) : null;
    const inputs = new Set(view.blocks.map((block) => block.block_id).filter((id) => id !== undefined));
    const invalid = early?.find((reply) => reply.fieldErrors);
    if (invalid?.fieldErrors) {
      const errors = Object.fromEntries(Object.entries(invalid.fieldErrors).filter(([key]) => inputs.has(key)));
      // Errors for inputs this modal does not have would be rejected: show those in the DM instead.
      if (Object.keys(errors).length > 0) return ack({ response_action: "errors", errors });
    }
    await ack();
    const rest: Message[] = [];
    const where = { client, teamId, userId };
    for (const reply of early ?? (await working)) {
      if (reply.replacesSource && metadata.source) await replies.replaceSource(reply, where, metadata.source);
      else rest.push(reply);
    }
    await replies.show(rest, where);
  }

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

function registerEvents(
  app: App,
  ctx: InboundContext & {
    dispatch(event: InboundEvent): Promise<Message[]>;
    people: ReturnType<typeof createSlackPeople>;
    replies: ReturnType<typeof createSlackReplies>;
  },
): void {
  const { dispatch, people, replies } = ctx;

  app.message(async ({ message, client, context }) => {
    if (message.channel_type !== "im" || message.subtype !== undefined || !message.user) return;
    const teamId = context.teamId ?? message.team ?? "";
    const userId = message.user;
    await durably(context, async () => {
      await people.meet(client, teamId, userId);
      const ref = conversationRef(teamId, message.channel, userId);
      const answer = await dispatch({
        ...(await people.base(client, teamId, userId, ref)),
        type: "message",
        text: message.text ?? "",
      });
      await replies.show(answer, { client, teamId, userId, channel: message.channel });
    });
  });

  app.event("app_home_opened", async ({ event, client, context }) => {
    if (event.tab !== "home") return;
    const teamId = context.teamId ?? "";
    await durably(context, async () => {
      await people.meet(client, teamId, event.user);
      const home = await ctx.homeView({ tenantId: teamId, platformUserId: event.user });
      if (!home) return;
      const copy = ctx.copy(await ctx.profiles.locale(client, teamId, event.user));
      await client.views.publish({ user_id: event.user, view: renderHome(home, copy) }).catch((error) => {
        ctx.logger.warn({ code: "SLACK_REPLY_FAILED", what: "views.publish", err: errorName(error) }, "no Home tab");
      });
    });
  });

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

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}
