// Block Kit limits (https://docs.slack.dev/reference/block-kit). The renderer keeps under
// them so Slack never rejects a message; the test support checks every payload against them.
export const SLACK_LIMITS = {
  messageBlocks: 50,
  viewBlocks: 100,
  sectionText: 3000,
  sectionFields: 10,
  fieldText: 2000,
  headerText: 150,
  contextElements: 10,
  actionsElements: 25,
  buttonText: 75,
  accessibilityLabel: 75,
  buttonValue: 2000,
  actionId: 255,
  blockId: 255,
  viewTitle: 24,
  viewSubmit: 24,
  inputLabel: 2000,
  inputMaxLength: 3000,
  optionText: 75,
  optionValue: 150,
  radioOptions: 10,
  selectOptions: 100,
  privateMetadata: 3000,
  /** chat.postMessage `text`: 40,000 allowed; the fallback is a notification line, so keep it short. */
  fallbackText: 3000,
} as const;
