import { OPEN_FORM_ACTION } from "../domain/chat-actions.ts";
import { formatDateTime } from "../domain/format-date.ts";
import { type Message, withUserText } from "../domain/message.ts";
import type { PersonRecord } from "../ports/project-records.ts";
import type { Deps } from "./deps.ts";
import { pulseNote, retroFormBlock } from "./messages/retro-prompt-message.ts";
import { recordShownForm } from "./shown-forms.ts";
import { answerValues, openDelivery, storedAnswers } from "./submit-answers.ts";

export { OPEN_FORM_ACTION };

/**
 * The retro form for one person, filled with what they answered so far, and recorded as shown
 * so that sending it changes only what they change in it. Platforms that show forms in a dialog
 * (a Slack modal) ask for it when the "Answer" button is pressed; the web chat and Teams ask for
 * it again whenever they show a retro form, so it always opens with the current answers.
 */
export async function openRetroForm(deps: Deps, person: PersonRecord, cycleId: string): Promise<Message[]> {
  const { prompts } = deps;
  const open = await openDelivery(deps, person, cycleId);
  if ("refused" in open) return [open.refused];
  const { cycle, responseKey } = open;
  const previous = answerValues(await storedAnswers(deps.stores, cycle.id, responseKey));
  const project = await deps.stores.retro.project(cycle.projectId, deps.clock.now());
  const askDiscipline = project?.participants.find((p) => p.id === person.id)?.discipline === null;
  const value = await recordShownForm(deps, {
    ownerKey: responseKey,
    kind: "retro",
    subject: cycle.id,
    values: previous,
  });
  const t = (k: string, vars?: Record<string, string | number>) => prompts.t(person.locale, k, vars);
  return [
    {
      fallback: t("retro.prompt.form-title"),
      blocks: [
        // Shown in place of the retro's card (Teams refresh), it still says which retro it is.
        {
          type: "heading",
          text: withUserText((user) => t("retro.prompt.heading", { ...user, sequence: cycle.sequence }), {
            project: project?.name ?? "",
          }),
        },
        { type: "context", text: [t("retro.prompt.intro", { closes: formatDateTime(cycle.closesAt, person.locale) })] },
        ...pulseNote(prompts, person.locale, cycle),
        retroFormBlock({ prompts, locale: person.locale, cycle, askDiscipline, previous, value }),
      ],
    },
  ];
}
