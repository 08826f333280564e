import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parse, parseAllDocuments } from "yaml";

const ROOT = path.resolve(import.meta.dirname, "../..");
const KUBERNETES = path.join(ROOT, "deploy/kubernetes");

type Probe = { httpGet?: { path?: string; port?: string | number } };
type Container = {
  name: string;
  args?: string[];
  env?: { name: string; value?: string }[];
  ports?: { name?: string; containerPort: number }[];
  securityContext?: Record<string, unknown>;
  volumeMounts?: { name: string; mountPath: string }[];
  livenessProbe?: Probe;
  readinessProbe?: Probe;
};
type PodSpec = {
  securityContext?: Record<string, unknown>;
  containers: Container[];
  initContainers?: Container[];
  volumes?: { name: string; emptyDir?: object }[];
  restartPolicy?: string;
};
type Manifest = { kind: string; metadata: { name: string }; spec: { template?: { spec: PodSpec } } };

const manifests: Manifest[] = readdirSync(KUBERNETES)
  .filter((file) => file.endsWith(".yaml"))
  .flatMap((file) =>
    parseAllDocuments(readFileSync(path.join(KUBERNETES, file), "utf8")).map((document) => document.toJS() as Manifest),
  );
const withPods = manifests.filter((manifest) => manifest.spec?.template?.spec);

function podSpec(manifest: Manifest): PodSpec {
  return manifest.spec.template?.spec as PodSpec;
}

/** A container's effective setting: its own, else the pod's (where the pod level has that field). */
function effective(pod: PodSpec, container: Container, field: string): unknown {
  return container.securityContext?.[field] ?? pod.securityContext?.[field];
}

// The "restricted" Pod Security Standard (kubernetes.io/docs/concepts/security/pod-security-standards),
// plus a read-only root file system, checked for every container of every workload.
describe("Kubernetes manifests meet the restricted Pod Security Standard", () => {
  it("define the serve and worker Deployments and a migration Job", () => {
    expect(withPods.map((manifest) => `${manifest.kind}/${manifest.metadata.name}`).sort()).toEqual(
      expect.arrayContaining(["Deployment/leerlus-serve", "Deployment/leerlus-worker", "Job/leerlus-migrate"]),
    );
  });

  for (const manifest of withPods) {
    const pod = podSpec(manifest);
    for (const container of [...(pod.initContainers ?? []), ...pod.containers]) {
      it(`${manifest.kind}/${manifest.metadata.name}: container ${container.name}`, () => {
        expect(effective(pod, container, "runAsNonRoot")).toBe(true);
        const user = effective(pod, container, "runAsUser");
        expect(typeof user === "number" && user > 0).toBe(true);
        expect(container.securityContext?.allowPrivilegeEscalation).toBe(false);
        expect(container.securityContext?.privileged ?? false).toBe(false);
        expect((container.securityContext?.capabilities as { drop?: string[] } | undefined)?.drop).toEqual(["ALL"]);
        expect((container.securityContext?.capabilities as { add?: string[] } | undefined)?.add ?? []).toEqual([]);
        expect((effective(pod, container, "seccompProfile") as { type?: string } | undefined)?.type).toBe(
          "RuntimeDefault",
        );
        expect(container.securityContext?.readOnlyRootFilesystem).toBe(true);
        // tsx keeps its compile cache in the temporary folder: it must be writable.
        const tmp = container.volumeMounts?.find((mount) => mount.mountPath === "/tmp");
        expect(tmp).toBeDefined();
        expect(pod.volumes?.find((volume) => volume.name === tmp?.name)?.emptyDir).toBeDefined();
      });
    }
  }

  it("every Deployment's containers have liveness and readiness probes on a port they declare", () => {
    const deployments = withPods.filter((manifest) => manifest.kind === "Deployment");
    expect(deployments.length).toBeGreaterThanOrEqual(2);
    for (const deployment of deployments) {
      for (const container of podSpec(deployment).containers) {
        for (const probe of [container.livenessProbe, container.readinessProbe]) {
          expect(probe?.httpGet?.path, `${deployment.metadata.name}/${container.name}`).toMatch(/^\/(livez|readyz)$/);
          const declared = (container.ports ?? []).map((port) => port.name);
          expect(declared).toContain(probe?.httpGet?.port);
        }
        expect(container.livenessProbe?.httpGet?.path).toBe("/livez");
        expect(container.readinessProbe?.httpGet?.path).toBe("/readyz");
      }
    }
  });

  it("the worker serves its health port where its probes look", () => {
    const worker = withPods.find((manifest) => manifest.metadata.name === "leerlus-worker") as Manifest;
    const container = podSpec(worker).containers[0] as Container;
    const healthPort = container.env?.find((entry) => entry.name === "HEALTH_PORT")?.value;
    expect(healthPort).toMatch(/^\d+$/);
    const probePort = container.livenessProbe?.httpGet?.port;
    expect(container.ports?.find((port) => port.name === probePort)?.containerPort).toBe(Number(healthPort));
  });

  it("migrations run as a Job that runs `leerlus migrate` and is not restarted forever", () => {
    const job = withPods.find((manifest) => manifest.kind === "Job") as Manifest;
    expect(job).toBeDefined();
    const pod = podSpec(job);
    expect(pod.containers.map((container) => container.args?.join(" "))).toContain("node bin/leerlus.js migrate");
    expect(["Never", "OnFailure"]).toContain(pod.restartPolicy);
  });
});

describe("the image and docker compose", () => {
  const dockerfile = readFileSync(path.join(ROOT, "Dockerfile"), "utf8");
  const bases = [...dockerfile.matchAll(/^FROM\s+node:(\d+)[-\w.]*/gm)].map((match) => Number(match[1]));

  it("build on a maintained Node LTS (an even major, 24 or later), in every stage", () => {
    expect(bases.length).toBeGreaterThanOrEqual(2);
    for (const major of bases) {
      expect(major % 2).toBe(0);
      expect(major).toBeGreaterThanOrEqual(24);
    }
    expect(new Set(bases).size).toBe(1);
  });

  it("package.json's engines name no Node release past its end of life, and admit the image's", () => {
    const engines = JSON.parse(readFileSync(path.join(ROOT, "package.json"), "utf8")).engines.node as string;
    const lowest = Number(/^>=\s*(\d+)/.exec(engines)?.[1]);
    expect(lowest).toBeGreaterThanOrEqual(22);
    expect(lowest).toBeLessThanOrEqual(bases[0] as number);
  });

  it("the worker service has a health check on its health port", () => {
    const compose = parse(readFileSync(path.join(ROOT, "docker-compose.yml"), "utf8")) as {
      services: Record<string, { environment?: Record<string, string>; healthcheck?: { disable?: boolean } }>;
    };
    const worker = compose.services.worker;
    expect(worker?.environment?.HEALTH_PORT).toMatch(/^\d+$/);
    expect(worker?.healthcheck?.disable ?? false).toBe(false);
    // The image's HEALTHCHECK asks /livez on HEALTH_PORT when set, else on PORT.
    expect(dockerfile).toMatch(/HEALTHCHECK[\s\S]*HEALTH_PORT[\s\S]*\/livez/);
  });
});
