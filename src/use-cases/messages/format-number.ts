// Moved to the domain, where the web adapter's charts read it too; kept here for the
// summary messages' import.
export { formatNumber } from "../../domain/format-number.ts";
