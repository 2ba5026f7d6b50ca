import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { campaignLink } from "../src/cli/campaign-link";

const out = mkdtempSync(join(tmpdir(), "links-"));

test("a known campaign gets its deep link and a QR code as PNG and SVG", async () => {
  const { link, files } = await campaignLink(["riga2026", "lv", "--bot", "travel_tips_bot", "--out", out]);
  expect(link).toBe("https://t.me/travel_tips_bot?start=riga2026-lv");
  expect(readFileSync(files[0]!).subarray(1, 4).toString()).toBe("PNG");
  expect(readFileSync(files[1]!, "utf8")).toMatch(/<svg[\s\S]*<\/svg>/);
});

test.each([
  [["nosuchcampaign", "lv", "--bot", "travel_tips_bot"], /Unknown campaign/],
  [["riga2026", "de", "--bot", "travel_tips_bot"], /Unknown language/],
  [["riga2026"], /username/],
  [["RIGA 2026", "--bot", "travel_tips_bot"], /Unknown campaign/],
])("%j is refused", async (args, message) => {
  await expect(campaignLink([...args, "--out", out], {})).rejects.toThrow(message);
});
