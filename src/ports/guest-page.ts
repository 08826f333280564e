// What the web adapter's guest pages ask of the core (README "Guests"): the retro form behind a
// guest's answer link, saving it, and the one-click unsubscribe. Built by use-cases/guests.
import type { Locale } from "../domain/locale.ts";
import type { Question } from "../domain/retro-format.ts";

export type GuestForm = {
  locale: Locale;
  title: string;
  intro: string;
  anonymous: boolean;
  questions: Question[];
  values: Record<string, string>;
  /** The submit value naming the form instance (what it was shown with). */
  form: string;
  token: string;
  saved: string | null;
  problem: string | null;
  fieldErrors: Record<string, string>;
};

export type GuestView =
  | { kind: "form"; form: GuestForm }
  | { kind: "notice"; status: number; locale: Locale; title: string; body: string }
  | { kind: "confirm"; locale: Locale; title: string; body: string; button: string; token: string };

export type GuestPage = {
  open(token: string, fallback: Locale, saved?: boolean): Promise<GuestView>;
  /** `saved` when the answers were stored: the page then shows the form again, with them. */
  submit(token: string, body: Record<string, string>, fallback: Locale): Promise<{ kind: "saved" } | GuestView>;
  unsubscribeAsk(token: string, fallback: Locale): Promise<GuestView>;
  unsubscribe(token: string, fallback: Locale): Promise<GuestView>;
};
