/** An error the person can act on; `code` selects the message in prompts/messages. */
export class LeerlusError extends Error {
  readonly code: string;
  readonly vars: Record<string, string | number>;
  constructor(code: string, vars: Record<string, string | number> = {}) {
    super(code);
    this.name = "LeerlusError";
    this.code = code;
    this.vars = vars;
  }
}
