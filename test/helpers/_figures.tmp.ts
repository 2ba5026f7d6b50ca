import { corpusLanguages, judge } from "./urgent-corpus";
(async () => {
  const only = process.argv.slice(2);
  const verbose = process.env.V === "1";
  for (const lang of corpusLanguages().filter((l) => !only.length || only.includes(l))) {
    const f = await judge(lang);
    console.log(`${lang}: recall ${(f.recall * 100).toFixed(1)} false ${(f.falseAlarms * 100).toFixed(1)} kind ${(f.rightKind * 100).toFixed(1)}`);
    if (verbose) for (const j of f.judged) {
      const miss = (j.message.expect === "none") !== (j.answered === undefined);
      const wrongKind = j.answered && j.message.expect !== "none" && j.answered !== j.message.expect && !j.message.also?.includes(j.answered);
      if (miss || wrongKind) console.log(`  ${miss ? "MISS" : "KIND"} [${j.message.expect}->${j.answered ?? "-"}] ${j.message.text}`);
    }
  }
  process.exit(0);
})();
