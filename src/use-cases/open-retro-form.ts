import type { Message } from "../domain/message.ts";
import type { PersonRecord } from "../ports/store.ts";
import type { Deps } from "./deps.ts";
import { formatDateTime } from "./messages/format-date.ts";
import { reply } from "./messages/reply.ts";
import { retroFormBlock } from "./messages/retro-prompt-message.ts";
import { responseKeyFor } from "./submit-answers.ts";

export const OPEN_FORM_ACTION = "retro.open";

/**
 * The retro form for one person, filled with what they answered so far. Platforms that
 * show forms in a dialog (a Slack modal) ask for it when the "Answer" button is pressed.
 */
export async function openRetroForm(deps: Deps, person: PersonRecord, cycleId: string): Promise<Message[]> {
  const { prompts } = deps;
  const cycle = await deps.stores.retro.cycle(cycleId);
  const delivery = cycle
    ? (await deps.stores.retro.deliveries(cycle.id)).find((d) => d.personId === person.id)
    : undefined;
  if (!cycle || !delivery) return [reply(prompts, person.locale, "errors.not-invited")];
  if (cycle.status !== "open" || deps.clock.now() >= cycle.closesAt) {
    return [reply(prompts, person.locale, "retro.answer.closed")];
  }
  const key = responseKeyFor(deps.secret, delivery.id);
  const previous = Object.fromEntries(
    (await deps.stores.retro.answers(cycle.id))
      .filter((answer) => answer.responseKey === key)
      .map((answer) => [answer.questionKey, answer.text ?? String(answer.score ?? "")]),
  );
  const project = await deps.stores.retro.project(cycle.projectId, deps.clock.now());
  const askDiscipline = project?.participants.find((p) => p.id === person.id)?.discipline === null;
  const t = (k: string, vars?: Record<string, string | number>) => prompts.t(person.locale, k, vars);
  return [
    {
      fallback: t("retro.prompt.form-title"),
      blocks: [
        { type: "context", text: [t("retro.prompt.intro", { closes: formatDateTime(cycle.closesAt, person.locale) })] },
        retroFormBlock({ prompts, locale: person.locale, cycle, askDiscipline, previous }),
      ],
    },
  ];
}
