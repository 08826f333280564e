// What a slash command, a button and a form submission ask of the core, and how its
// replies are shown: the work each Slack listener runs once the request is recorded.
import type {
  AllMiddlewareArgs,
  BlockAction,
  ButtonAction,
  SlackActionMiddlewareArgs,
  SlackCommandMiddlewareArgs,
  SlackViewMiddlewareArgs,
} from "@slack/bolt";
import type { InboundEvent } from "../../src/domain/inbound-event.ts";
import type { Message } from "../../src/domain/message.ts";
import type { Logger } from "../../src/ports/logger.ts";
import { conversationRef, directRefFor, isConversationOf, isDirectChannel } from "./conversation-ref.ts";
import { isReplay } from "./durable-receiver.ts";
import { baseActionId, renderMessage } from "./render-blocks.ts";
import { readAnswers, readMetadata } from "./render-views.ts";
import type { SlackPeople } from "./slack-people.ts";
import type { SlackReplies } from "./slack-replies.ts";

/** A view_submission must be answered within 3 s; past this the modal closes and replies go to the DM. */
const FORM_DEADLINE_MS = 2_500;

export type CommandArgs = SlackCommandMiddlewareArgs & AllMiddlewareArgs;
export type ButtonArgs = SlackActionMiddlewareArgs<BlockAction<ButtonAction>> & AllMiddlewareArgs;
export type ViewArgs = SlackViewMiddlewareArgs & AllMiddlewareArgs;

export function createSlackInteractions(input: {
  dispatch(event: InboundEvent): Promise<Message[]>;
  people: SlackPeople;
  replies: SlackReplies;
  logger: Logger;
}) {
  const { dispatch, people, replies } = input;

  async function onCommand({ command, respond, client }: CommandArgs): Promise<void> {
    const { team_id: teamId, user_id: userId, channel_id: channel } = command;
    await people.meet(client, teamId, userId);
    const ref = conversationRef(teamId, channel, isDirectChannel(channel) ? userId : undefined);
    const answer = await dispatch({
      ...(await people.base(client, teamId, userId, ref)),
      type: "command",
      text: command.text.trim() || "help",
      direct: isDirectChannel(channel),
    });
    // A command that answers with a form (setup) opens it as a modal.
    await replies.deliver(
      answer,
      { client, teamId, userId, channel, respond },
      { triggerId: command.trigger_id, conversationRef: ref, checkChannelAccess: true },
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
      input.logger.warn({ code: "SLACK_FORM_FOREIGN_CONVERSATION" }, "a form named another conversation; ignored");
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

  return { onCommand, onButton, onSubmission };
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}
