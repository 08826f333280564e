// Action ids a platform adapter has to recognise itself, before the core sees the event.
// The core owns every other action id; adapters hand them back unread.

/**
 * Asks for the retro form as it stands for the reader: filled with their answers so far.
 * Slack opens its modal at once, because the button's trigger expires after 3 seconds.
 */
export const OPEN_FORM_ACTION = "retro.open";

/** Submits the setup form: Slack first checks it may post in the channel the project will use. */
export const SETUP_SUBMIT = "setup.submit";
