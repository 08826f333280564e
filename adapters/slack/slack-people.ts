// Who a Slack request comes from, as the core's event base, and the first meeting of a
// person in this process (their direct conversation; in single-workspace mode, the workspace).
import type { webApi } from "@slack/bolt";
import type { InboundEvent } from "../../src/domain/inbound-event.ts";
import type { Message } from "../../src/domain/message.ts";
import type { InstallStore } from "../../src/ports/install-store.ts";
import type { Logger } from "../../src/ports/logger.ts";
import { directRefFor } from "./conversation-ref.ts";
import type { ProfileCache } from "./profile-cache.ts";

type Client = webApi.WebClient;

export type SlackPeople = ReturnType<typeof createSlackPeople>;

export function createSlackPeople(input: {
  dispatch(event: InboundEvent): Promise<Message[]>;
  profiles: ProfileCache;
  installs: InstallStore;
  singleWorkspace: boolean;
  logger: Logger;
}) {
  const met = new Map<string, Promise<void>>();
  const teamNames = new Map<string, string>();

  async function base(client: Client, teamId: string, userId: string, ref: string) {
    const profile = await input.profiles.profile(client, teamId, userId);
    return { platform: "slack" as const, tenantId: teamId, platformUserId: userId, conversationRef: ref, profile };
  }

  async function teamName(client: Client, teamId: string): Promise<string> {
    const known = teamNames.get(teamId);
    if (known) return known;
    const name = (await client.auth.test().catch(() => undefined))?.team ?? teamId;
    teamNames.set(teamId, name);
    return name;
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
        if (input.singleWorkspace && !(await input.installs.isRegistered("slack", teamId))) {
          await input.dispatch({ ...who, type: "installed", tenantName: await teamName(client, teamId), directRef });
        } else {
          await input.dispatch({ ...who, type: "memberJoined", directRef });
        }
      })().catch((error) => {
        met.delete(key);
        input.logger.warn({ code: "SLACK_MEET_FAILED", err: errorName(error) }, "could not register a person");
      });
      met.set(key, meeting);
    }
    return meeting;
  }

  return { base, meet };
}

export function errorName(error: unknown): string {
  if (error instanceof Error) return (error as Error & { code?: string }).code ?? error.name;
  return "unknown";
}
