// Checks Block Kit payloads against Slack's limits and our escaping rule. Every payload the
// Slack tests record goes through here, so a renderer change that Slack would reject fails.
import type { SlackCall } from "./fake-slack-api.ts";

type Node = Record<string, unknown>;

const ENTITY = /&(?!amp;|lt;|gt;)/;

function textProblems(where: string, text: unknown, max: number): string[] {
  if (typeof text !== "string") return [`${where}: text missing`];
  const problems: string[] = [];
  if (text.length > max) problems.push(`${where}: ${text.length} characters > ${max}`);
  if (/[<>]/.test(text) || ENTITY.test(text)) problems.push(`${where}: unescaped &, < or > in "${text.slice(0, 60)}"`);
  return problems;
}

const textObject = (where: string, object: unknown, max: number) =>
  textProblems(where, (object as Node | undefined)?.text, max);

function elementProblems(where: string, element: Node): string[] {
  const problems: string[] = [];
  if (element.type === "button") {
    problems.push(...textObject(`${where} button`, element.text, 75));
    if (element.accessibility_label !== undefined)
      problems.push(...textProblems(`${where} accessibility_label`, element.accessibility_label, 75));
    if (typeof element.value === "string" && element.value.length > 2000)
      problems.push(`${where}: button value > 2000`);
  }
  if (element.type === "radio_buttons" && (element.options as Node[]).length > 10)
    problems.push(`${where}: > 10 radios`);
  if (element.type === "static_select" && (element.options as Node[]).length > 100)
    problems.push(`${where}: > 100 options`);
  for (const option of (element.options as Node[] | undefined) ?? []) {
    problems.push(...textObject(`${where} option`, option.text, 75));
    if (String(option.value).length > 150) problems.push(`${where}: option value > 150`);
  }
  if (element.type === "plain_text_input" && Number(element.max_length ?? 0) > 3000)
    problems.push(`${where}: max_length > 3000`);
  return problems;
}

export function blockProblems(blocks: Node[], maxBlocks: number): string[] {
  const problems: string[] = [];
  if (blocks.length > maxBlocks) problems.push(`${blocks.length} blocks > ${maxBlocks}`);
  blocks.forEach((block, index) => {
    const where = `block ${index} (${String(block.type)})`;
    switch (block.type) {
      case "header":
        problems.push(...textObject(where, block.text, 150));
        break;
      case "section": {
        if (block.text) problems.push(...textObject(where, block.text, 3000));
        const fields = (block.fields as Node[] | undefined) ?? [];
        if (fields.length > 10) problems.push(`${where}: ${fields.length} fields > 10`);
        for (const field of fields) problems.push(...textProblems(`${where} field`, field.text, 2000));
        if (block.accessory) problems.push(...elementProblems(where, block.accessory as Node));
        break;
      }
      case "context": {
        const elements = block.elements as Node[];
        if (elements.length > 10) problems.push(`${where}: > 10 elements`);
        for (const element of elements) problems.push(...textProblems(where, element.text, 3000));
        break;
      }
      case "actions": {
        const elements = block.elements as Node[];
        if (elements.length > 25) problems.push(`${where}: > 25 elements`);
        const ids = elements.map((element) => element.action_id);
        if (new Set(ids).size !== ids.length) problems.push(`${where}: duplicate action_id`);
        for (const element of elements) problems.push(...elementProblems(where, element));
        break;
      }
      case "input":
        problems.push(...textObject(where, block.label, 2000));
        problems.push(...elementProblems(where, block.element as Node));
        break;
      default:
        problems.push(`${where}: unexpected block type`);
    }
  });
  return problems;
}

export function viewProblems(view: Node): string[] {
  const problems = blockProblems(view.blocks as Node[], 100);
  if (view.type === "modal") {
    problems.push(...textObject("modal title", view.title, 24));
    if (view.submit) problems.push(...textObject("modal submit", view.submit, 24));
    if (view.close) problems.push(...textObject("modal close", view.close, 24));
    if (String(view.private_metadata ?? "").length > 3000) problems.push("private_metadata > 3000");
  }
  return problems;
}

/** Problems in every recorded call that carries blocks or a view. */
export function callProblems(calls: SlackCall[]): string[] {
  return calls.flatMap((call) => {
    const where = (problem: string) => `${call.method}: ${problem}`;
    if (call.args.view) return viewProblems(call.args.view as Node).map(where);
    if (Array.isArray(call.args.blocks)) {
      const text = typeof call.args.text === "string" ? textProblems("text", call.args.text, 40_000) : [];
      return [...blockProblems(call.args.blocks as Node[], 50), ...text].map(where);
    }
    return [];
  });
}
