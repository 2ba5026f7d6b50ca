import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { campaignLink } from "../src/cli/campaign-link";

const out = mkdtempSync(join(tmpdir(), "links-"));

/**
 * The PNG is drawn as `npm run campaign-link` draws it: in its own process.
 * Inside jest, code runs in a vm context whose global lookups are slow, and
 * pngjs's filters look up `Math` a few million times per image (about 1 s from
 * the command line, 6–7 s under jest on a 2-core machine).
 */
test("a known campaign gets its deep link and a QR code as PNG and SVG", async () => {
  const cli = join(__dirname, "..", "src", "cli", "campaign-link.ts");
  const { stdout } = await promisify(execFile)(process.execPath, ["--import", "tsx", cli, "riga2026", "lv", "--bot", "travel_tips_bot", "--out", out]);
  const [link, png, svg] = stdout.trim().split("\n");
  expect(link).toBe("https://t.me/travel_tips_bot?start=riga2026-lv");
  expect(readFileSync(png!).subarray(1, 4).toString()).toBe("PNG");
  expect(readFileSync(svg!, "utf8")).toMatch(/<svg[\s\S]*<\/svg>/);
});

test.each([
  [["nosuchcampaign", "lv", "--bot", "travel_tips_bot"], /Unknown campaign/],
  [["riga2026", "de", "--bot", "travel_tips_bot"], /Unknown language/],
  [["riga2026"], /username/],
  [["RIGA 2026", "--bot", "travel_tips_bot"], /Unknown campaign/],
])("%j is refused", async (args, message) => {
  await expect(campaignLink([...args, "--out", out], {})).rejects.toThrow(message);
});
