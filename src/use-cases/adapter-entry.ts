// The adapters' one entry into the core's code: the machinery a platform adapter runs itself,
// inside its own request handling. Everything else an adapter needs is a type or a constant
// from src/ports or src/domain, or a use case the composition root hands it
// (test/architecture/dependencies.test.ts holds adapters to this file).
export { createInboundRunner } from "./inbound/inbound-runner.ts";
export { createLinkSigner } from "./signed-link.ts";
