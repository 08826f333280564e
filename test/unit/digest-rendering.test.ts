import { describe, expect, it } from "vitest";
import { renderBarChart } from "../../adapters/web/digest-charts.ts";
import { periodsBack, trendOf } from "../../src/domain/digest-content.ts";
import { escapeMarkdown } from "../../src/use-cases/digest/digest-markdown.ts";

describe("digest rendering rules", () => {
  it("compares a theme with the previous period", () => {
    expect([trendOf(3, 0), trendOf(0, 0), trendOf(5, 2), trendOf(1, 2), trendOf(2, 2)]).toEqual([
      "new",
      "steady",
      "up",
      "down",
      "steady",
    ]);
  });

  it("looks back over periods of the digest's length, oldest first", () => {
    const periods = periodsBack(new Date("2026-11-16T00:00:00Z"), new Date("2026-11-23T00:00:00Z"), 2);
    expect(periods.map((period) => period.periodEnd.slice(0, 10))).toEqual(["2026-11-09", "2026-11-16", "2026-11-23"]);
  });

  it("keeps lesson text from turning into Markdown links or headings", () => {
    expect(escapeMarkdown("# [click](http://x) *now*")).toBe("\\# \\[click\\]\\(http\\://x\\) \\*now\\*");
  });

  it("draws charts with a title, a description, numbers on bars and words for hidden values", () => {
    const svg = renderBarChart(
      {
        id: "c",
        title: "Participation <per> period",
        description: "Share answered",
        unit: "%",
        categories: ["1 Nov", "8 Nov"],
        series: [{ name: "Answered", values: [null, 75] }],
        max: 100,
      },
      "too few",
    );
    // On a phone the drawing scrolls inside its frame, which a keyboard can focus to scroll.
    expect(svg).toMatch(
      /^<div class="chart" tabindex="0" role="group" aria-labelledby="c-title"><svg role="img" aria-labelledby="c-title c-desc"/,
    );
    // The legend is HTML that wraps, not SVG text cut off at the drawing's edge.
    expect(svg).toMatch(
      /<ul class="chart-legend"><li><svg[^>]*aria-hidden="true"[^>]*>.*<\/svg> Answered<\/li><\/ul>$/,
    );
    expect(svg).toContain('<title id="c-title">Participation &lt;per&gt; period</title>');
    expect(svg).toContain(">75</text>");
    expect(svg).toContain(">too few</text>");
    expect(svg).toContain('fill="url(#c-solid)"');
  });

  it("writes means the reader's way, and a period hidden for every series says so once", () => {
    const svg = renderBarChart(
      {
        id: "p",
        title: "Team pulse",
        description: "Means",
        unit: "1–5",
        categories: ["1 Nov", "8 Nov"],
        series: [
          { name: "Speak up", values: [null, 3.8] },
          { name: "Mistakes", values: [null, 4] },
        ],
        max: 5,
        decimals: "nl",
      },
      "te weinig",
    );
    expect(svg).toContain(">3,8</text>");
    expect(svg).toContain("Speak up, 8 Nov: 3,8");
    expect(svg.match(/>te weinig<\/text>/g)).toHaveLength(1);
  });
});
