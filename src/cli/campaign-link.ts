import { mkdirSync } from "node:fs";
import { join } from "node:path";
import QRCode from "qrcode";
import { loadContent } from "../content";
import { parseStartPayload } from "../content/campaigns";
import { LANGUAGES, isLang } from "../i18n/languages";

/**
 * `npm run campaign-link -- <campaign> [lang] [--bot <username>] [--out <dir>]`
 * Validates the campaign code against dialogs/campaigns.json, prints the deep
 * link, and writes a QR code as PNG and SVG for posters and leaflets.
 */
export async function campaignLink(args: string[], env = process.env): Promise<{ link: string; files: string[] }> {
  const flag = (name: string) => {
    const i = args.indexOf(name);
    if (i === -1) return undefined;
    const value = args[i + 1];
    args.splice(i, 2);
    return value;
  };
  const bot = (flag("--bot") ?? env.BOT_USERNAME ?? "").replace(/^@/, "");
  const outDir = flag("--out") ?? "campaign-links";
  const [campaign = "", lang] = args;
  if (!/^[A-Za-z0-9_]{5,32}$/.test(bot)) throw new Error("Give the bot's username: --bot <username> or BOT_USERNAME=…");
  if (lang !== undefined && !isLang(lang)) throw new Error(`Unknown language "${lang}": use one of ${LANGUAGES.join(", ")}`);
  const payload = lang ? `${campaign}-${lang}` : campaign;
  const parsed = parseStartPayload(payload, loadContent().campaigns);
  if (parsed.campaign !== campaign.toLowerCase() || !campaign) {
    throw new Error(`Unknown campaign "${campaign}": add it to dialogs/campaigns.json first (2–24 lower-case letters and digits)`);
  }
  const link = `https://t.me/${bot}?start=${payload.toLowerCase()}`;
  mkdirSync(outDir, { recursive: true });
  const base = join(outDir, payload.toLowerCase());
  await QRCode.toFile(`${base}.png`, link, { type: "png", errorCorrectionLevel: "M", margin: 2, width: 1024 });
  await QRCode.toFile(`${base}.svg`, link, { type: "svg", errorCorrectionLevel: "M", margin: 2 });
  return { link, files: [`${base}.png`, `${base}.svg`] };
}

if (require.main === module) {
  campaignLink(process.argv.slice(2)).then(
    ({ link, files }) => console.log(`${link}\n${files.join("\n")}`),
    (error: Error) => {
      console.error(error.message);
      process.exit(2);
    },
  );
}
