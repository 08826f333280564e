// TRUST_PROXY and METRICS_TOKEN, read and validated once in src/config.ts.
import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "../../src/config.ts";

describe("TRUST_PROXY", () => {
  it.each([
    [undefined, ["loopback"]],
    ["", ["loopback"]],
    ["1", 1],
    ["2", 2],
    ["false", false],
    ["10.0.0.0/8, loopback", ["10.0.0.0/8", "loopback"]],
    ["192.168.1.4,fd00::/8", ["192.168.1.4", "fd00::/8"]],
  ])("reads %s as %j", (value, expected) => {
    expect(loadConfig(value === undefined ? {} : { TRUST_PROXY: value }).trustProxy).toEqual(expected);
  });

  it.each(["true", "11", "10.0.0.0/33", "proxy.example.org", "-1"])("refuses %j, naming the variable", (value) => {
    const attempt = () => loadConfig({ TRUST_PROXY: value });
    expect(attempt).toThrow(ConfigError);
    expect(attempt).toThrow(/TRUST_PROXY/);
  });
});

describe("METRICS_TOKEN and PUBLIC_URL", () => {
  it("takes a long enough metrics token and refuses a short one", () => {
    expect(loadConfig({ METRICS_TOKEN: "a-long-enough-metrics-token" }).metricsToken).toBe(
      "a-long-enough-metrics-token",
    );
    expect(loadConfig({}).metricsToken).toBeUndefined();
    expect(() => loadConfig({ METRICS_TOKEN: "short" })).toThrow(/METRICS_TOKEN: must be at least 16 characters/);
  });

  it("wants PUBLIC_URL as http or https", () => {
    expect(() => loadConfig({ PUBLIC_URL: "ftp://leerlus.example.org" })).toThrow(/PUBLIC_URL/);
    expect(loadConfig({ PUBLIC_URL: "https://leerlus.example.org" }).publicUrl).toBe("https://leerlus.example.org");
  });
});
