// Slack payloads → the core's InboundEvent, and the core's replies back to the person.
// Every listener acknowledges first and then asks the core, so Slack's 3-second deadline
// holds however slow the core is; a form submission is the one exception, because its
// field errors can only be shown in the acknowledgement (bounded by FORM_DEADLINE_MS).
import type {
  AllMiddlewareArgs,
  App,
  BlockAction,
  ButtonAction,
  RespondFn,
  SlackActionMiddlewareArgs,
  webApi,
} from "@slack/bolt";
import type { InboundEvent } from "../../src/domain/inbound-event.ts";
import type { Locale } from "../../src/domain/locale.ts";
import type { Message } from "../../src/domain/message.ts";
import type { EventHandler } from "../../src/ports/chat-adapter.ts";
import type { InstallStore, ProcessedEventStore } from "../../src/ports/install-store.ts";
import type { Logger } from "../../src/ports/logger.ts";
import { limitConcurrency } from "../../src/scheduler/concurrency-limit.ts";
import { OPEN_FORM_ACTION } from "../../src/use-cases/open-retro-form.ts";
import { SETUP_SUBMIT } from "../../src/use-cases/setup-project.ts";
import { conversationRef, directRefFor, isConversationOf, isDirectChannel } from "./conversation-ref.ts";
import type { ProfileCache } from "./profile-cache.ts";
import { baseActionId, renderMessage, renderMessages, type SlackCopy } from "./render-blocks.ts";
import {
  FORM_CALLBACK_ID,
  type FormMetadata,
  findForm,
  readAnswers,
  readMetadata,
  renderHome,
  renderModal,
} from "./render-views.ts";
import { ensureChannelAccess } from "./slack-channel-access.ts";

/** A view_submission must be answered within 3 s; past this the modal closes and replies go to the DM. */
const FORM_DEADLINE_MS = 2_500;

export type HomeViewer = (who: { tenantId: string; platformUserId: string }) => Promise<Message | null>;

export type InboundContext = {
  handler(): EventHandler | undefined;
  copy(locale: Locale): SlackCopy;
  /** Asks the person to invite Leerlus to a channel it cannot join by itself. */
  inviteText(locale: Locale): string;
  profiles: ProfileCache;
  processed: ProcessedEventStore;
  installs: InstallStore;
  homeView: HomeViewer;
  /** Single-workspace mode: the first person Leerlus meets in an unregistered workspace installs it. */
  singleWorkspace: boolean;
  /** Tokens of a workspace were revoked or the app uninstalled: forget cached clients. */
  onUninstalled(teamId: string): void;
  logger: Logger;
};

type Client = webApi.WebClient;
type ButtonArgs = SlackActionMiddlewareArgs<BlockAction<ButtonAction>> & AllMiddlewareArgs;
type Where = { client: Client; teamId: string; userId: string; channel?: string; respond?: RespondFn };

/**
 * Work after the acknowledgement shares the event loop with the acknowledgements of the
 * next requests; a few at a time keeps a burst of slow core work from delaying them.
 */
const BACKGROUND_CONCURRENCY = 2;

export function registerInbound(app: App, ctx: InboundContext): void {
  const met = new Map<string, Promise<void>>();
  const background = limitConcurrency(BACKGROUND_CONCURRENCY);
  const teamNames = new Map<string, string>();

  async function dispatch(event: InboundEvent): Promise<Message[]> {
    const handler = ctx.handler();
    if (!handler) return [];
    try {
      return await handler(event);
    } catch (error) {
      ctx.logger.error({ code: "SLACK_CORE_FAILED", type: event.type, err: errorName(error) }, "the core failed");
      return [];
    }
  }

  async function base(client: Client, teamId: string, userId: string, ref: string) {
    const profile = await ctx.profiles.profile(client, teamId, userId);
    return { platform: "slack" as const, tenantId: teamId, platformUserId: userId, conversationRef: ref, profile };
  }

  /**
   * Once per person and process: tell the core their direct conversation (posting to the
   * user id reaches the app's DM), and in single-workspace mode register the workspace.
   */
  function meet(client: Client, teamId: string, userId: string): Promise<void> {
    const key = `${teamId}:${userId}`;
    let meeting = met.get(key);
    if (!meeting) {
      meeting = (async () => {
        const directRef = directRefFor(teamId, userId);
        const who = await base(client, teamId, userId, directRef);
        if (ctx.singleWorkspace && !(await ctx.installs.isRegistered("slack", teamId))) {
          await dispatch({ ...who, type: "installed", tenantName: await teamName(client, teamId), directRef });
        } else {
          await dispatch({ ...who, type: "memberJoined", directRef });
        }
      })().catch((error) => {
        met.delete(key);
        ctx.logger.warn({ code: "SLACK_MEET_FAILED", err: errorName(error) }, "could not register a person");
      });
      met.set(key, meeting);
    }
    return meeting;
  }

  async function teamName(client: Client, teamId: string): Promise<string> {
    const known = teamNames.get(teamId);
    if (known) return known;
    const name = (await client.auth.test().catch(() => undefined))?.team ?? teamId;
    teamNames.set(teamId, name);
    return name;
  }

  async function show(replies: Message[], where: Where): Promise<void> {
    if (replies.length === 0) return;
    const copy = ctx.copy(await ctx.profiles.locale(where.client, where.teamId, where.userId));
    for (const reply of replies) {
      for (const payload of renderMessages(reply, copy)) {
        if (where.respond) {
          await where.respond({ response_type: "ephemeral", replace_original: false, ...payload });
        } else if (where.channel && !isDirectChannel(where.channel)) {
          await where.client.chat.postEphemeral({ channel: where.channel, user: where.userId, ...payload });
        } else {
          await where.client.chat.postMessage({ channel: where.channel ?? where.userId, ...payload });
        }
      }
    }
  }

  const safely =
    (what: string) =>
    (error: unknown): void =>
      ctx.logger.warn({ code: "SLACK_REPLY_FAILED", what, err: errorName(error) }, "could not show a reply");

  // Slack retries an event it did not see acknowledged in time; each event_id counts once.
  app.use(async ({ body, next }) => {
    const eventId = (body as { event_id?: unknown }).event_id;
    if (typeof eventId === "string" && !(await ctx.processed.firstTime("slack", eventId))) return;
    await next();
  });

  app.command("/leerlus", async ({ command, ack, respond, client }) => {
    await ack();
    await background(async () => {
      const { team_id: teamId, user_id: userId, channel_id: channel } = command;
      await meet(client, teamId, userId);
      const ref = conversationRef(teamId, channel, isDirectChannel(channel) ? userId : undefined);
      const replies = await dispatch({
        ...(await base(client, teamId, userId, ref)),
        type: "command",
        text: command.text.trim() || "help",
      });
      // A command that answers with a form (setup) opens it as a modal.
      const locale = await ctx.profiles.locale(client, teamId, userId);
      const copy = ctx.copy(locale);
      const rest: Message[] = [];
      for (const reply of replies) {
        const form = findForm(reply);
        if (!form) {
          rest.push(reply);
          continue;
        }
        // Setting up a channel Leerlus cannot post in would fail later: invite first, before any form.
        if (form.submit.actionId === SETUP_SUBMIT && (await ensureChannelAccess(client, channel)) === "invite-needed") {
          const text = ctx.inviteText(locale);
          rest.push({ fallback: text, blocks: [{ type: "paragraph", text: [text] }] });
          continue;
        }
        const metadata: FormMetadata = {
          actionId: form.submit.actionId,
          value: form.submit.value,
          conversationRef: ref,
        };
        const view = renderModal(reply, metadata, copy);
        if (view) await client.views.open({ trigger_id: command.trigger_id, view }).catch(safely("views.open"));
      }
      await show(rest, { client, teamId, userId, channel, respond }).catch(safely("command"));
    });
  });

  app.message(async ({ message, client, context }) => {
    if (message.channel_type !== "im" || message.subtype !== undefined || !message.user) return;
    const teamId = context.teamId ?? message.team ?? "";
    const userId = message.user;
    await meet(client, teamId, userId);
    const ref = conversationRef(teamId, message.channel, userId);
    const replies = await dispatch({
      ...(await base(client, teamId, userId, ref)),
      type: "message",
      text: message.text ?? "",
    });
    await show(replies, { client, teamId, userId, channel: message.channel }).catch(safely("message"));
  });

  app.action({ type: "block_actions" }, async (args) => {
    await args.ack();
    if (args.action.type !== "button") return;
    const button = args as ButtonArgs;
    // The Answer button's trigger_id expires after 3 s: opening its modal does not wait in line.
    if (baseActionId(args.action.action_id) === OPEN_FORM_ACTION) return onButton(button);
    await background(() => onButton(button));
  });

  async function onButton({ body, action, respond, client, context }: ButtonArgs): Promise<void> {
    const teamId = context.teamId ?? body.team?.id ?? "";
    const userId = body.user.id;
    const channel = body.channel?.id;
    await meet(client, teamId, userId);
    const ref = channel
      ? conversationRef(teamId, channel, isDirectChannel(channel) ? userId : undefined)
      : directRefFor(teamId, userId);
    const actionId = baseActionId(action.action_id);
    const replies = await dispatch({
      ...(await base(client, teamId, userId, ref)),
      type: "action",
      actionId,
      value: action.value ?? "",
    });
    const copy = ctx.copy(await ctx.profiles.locale(client, teamId, userId));
    const source = body.message && channel ? { channel, ts: body.message.ts } : undefined;
    const rest: Message[] = [];
    for (const reply of replies) {
      // Any button whose answer is a form (Answer, setup, evidence notes, gate review) opens a modal.
      const form = findForm(reply);
      if (form) {
        const metadata: FormMetadata = {
          actionId: form.submit.actionId,
          value: form.submit.value,
          conversationRef: ref,
          ...(source ? { source } : {}),
        };
        const view = renderModal(reply, metadata, copy);
        if (view) await client.views.open({ trigger_id: body.trigger_id, view }).catch(safely("views.open"));
      } else if (reply.replacesSource && respond && body.message) {
        await respond({ replace_original: true, ...renderMessage(reply, copy) }).catch(safely("replace"));
      } else rest.push(reply);
    }
    await show(rest, {
      client,
      teamId,
      userId,
      ...(channel ? { channel } : {}),
      ...(body.message ? { respond } : {}),
    }).catch(safely("action"));
  }

  app.view(FORM_CALLBACK_ID, async ({ ack, body, view, client, context }) => {
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
      await meet(client, teamId, userId);
      return dispatch({
        ...(await base(client, teamId, userId, metadata.conversationRef)),
        type: "formSubmitted",
        actionId: metadata.actionId,
        value: metadata.value,
        answers,
      });
    })();
    const replies = await Promise.race([working, sleep(FORM_DEADLINE_MS).then(() => null)]);
    const inputs = new Set(view.blocks.map((block) => block.block_id).filter((id) => id !== undefined));
    const invalid = replies?.find((reply) => reply.fieldErrors);
    if (invalid?.fieldErrors) {
      const errors = Object.fromEntries(Object.entries(invalid.fieldErrors).filter(([key]) => inputs.has(key)));
      // Errors for inputs this modal does not have would be rejected: show those in the DM instead.
      if (Object.keys(errors).length > 0) return ack({ response_action: "errors", errors });
    }
    await ack();
    const done = replies ?? (await working);
    const copy = ctx.copy(await ctx.profiles.locale(client, teamId, userId));
    const rest: Message[] = [];
    for (const reply of done) {
      if (reply.replacesSource && metadata.source) {
        await client.chat
          .update({ channel: metadata.source.channel, ts: metadata.source.ts, ...renderMessage(reply, copy) })
          .catch(safely("chat.update"));
      } else rest.push(reply);
    }
    await show(rest, { client, teamId, userId }).catch(safely("form"));
  });

  app.event("app_home_opened", async ({ event, client, context }) => {
    if (event.tab !== "home") return;
    const teamId = context.teamId ?? "";
    await meet(client, teamId, event.user);
    const home = await ctx.homeView({ tenantId: teamId, platformUserId: event.user });
    if (!home) return;
    const copy = ctx.copy(await ctx.profiles.locale(client, teamId, event.user));
    await client.views.publish({ user_id: event.user, view: renderHome(home, copy) }).catch(safely("views.publish"));
  });

  app.event("member_joined_channel", async ({ event, client, context }) => {
    const teamId = context.teamId ?? event.team;
    if (context.botUserId && event.user === context.botUserId) {
      // Leerlus itself was added: whoever added it gets the welcome with "set up this channel".
      if (!event.inviter) return;
      const inviterDirect = directRefFor(teamId, event.inviter);
      const inviter = await base(client, teamId, event.inviter, conversationRef(teamId, event.channel));
      const replies = await dispatch({ ...inviter, type: "installed", directRef: inviterDirect });
      await show(replies, { client, teamId, userId: event.inviter, channel: event.channel }).catch(safely("welcome"));
      return;
    }
    const directRef = directRefFor(teamId, event.user);
    const who = await base(client, teamId, event.user, conversationRef(teamId, event.channel));
    await dispatch({ ...who, type: "memberJoined", directRef });
  });

  app.event("app_uninstalled", async ({ context, body }) => {
    const teamId = context.teamId ?? body.team_id;
    await ctx.installs.remove("slack", teamId);
    ctx.onUninstalled(teamId);
    ctx.logger.info({ code: "SLACK_UNINSTALLED" }, "Slack workspace uninstalled; its tokens are removed");
  });

  app.event("tokens_revoked", async ({ event, context, body }) => {
    // Leerlus stores only the bot token; user tokens it never had need no cleaning.
    if ((event.tokens.bot ?? []).length === 0) return;
    const teamId = context.teamId ?? body.team_id;
    await ctx.installs.remove("slack", teamId);
    ctx.onUninstalled(teamId);
    ctx.logger.info({ code: "SLACK_TOKENS_REVOKED" }, "Slack bot token revoked; the installation is removed");
  });
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}

export function errorName(error: unknown): string {
  if (error instanceof Error) return (error as Error & { code?: string }).code ?? error.name;
  return "unknown";
}
