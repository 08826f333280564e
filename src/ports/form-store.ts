// What Leerlus showed one person and may get back: a form with the values it was shown with,
// an answer typed in chat (to undo it), the question asked one at a time.
import type { FormKind } from "../domain/record-status.ts";

export type FormInstanceRecord = {
  id: string;
  /** A keyed hash of whose it is (a retro's response key); never a person's id. */
  ownerKey: string;
  kind: FormKind;
  /** What it is about: a cycle, checkpoint or project id. */
  subject: string;
  data: Record<string, unknown>;
  createdAt: Date;
};

/** An open retro a person was asked to answer. */
export type OpenRetro = {
  cycleId: string;
  deliveryId: string;
  projectId: string;
  projectName: string;
  anonymous: boolean;
  opensAt: Date;
  closesAt: Date;
};

export type FormStore = {
  /** Records an instance; an id that is already there keeps its row. True when it was new. */
  put(instance: Omit<FormInstanceRecord, "createdAt">, at: Date): Promise<boolean>;
  get(id: string): Promise<FormInstanceRecord | null>;
  /** Replaces an instance's data; false when it is gone. */
  update(id: string, data: Record<string, unknown>, at: Date): Promise<boolean>;
  remove(id: string): Promise<void>;
  /** The open retros a person has a delivery in, most recently opened first. */
  openRetrosOf(personId: string, now: Date): Promise<OpenRetro[]>;
  /** The owner keys of those who put off answering a cycle question by question (`later`). */
  snoozedIn(cycleId: string): Promise<string[]>;
  /** Forgets instances not touched since `before`. */
  prune(before: Date): Promise<void>;
};
