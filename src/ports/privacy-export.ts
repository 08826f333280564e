// The privacy export's download, as the web adapter serves it (README "Privacy").
export const PRIVACY_EXPORT_PATH = "/privacy/export";

export type ExportDownload =
  | { ok: true; filename: string; body: string }
  | { ok: false; code: "LINK_INVALID" | "LINK_EXPIRED" };
