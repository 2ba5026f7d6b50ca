/**
 * Folds a message (or a phrase) to the form both are compared in, so that the
 * ways frightened people really type meet the way a phrase was written:
 *
 *   "KÖMƏK EDİN" · "komek edin"                       → "komek edin"
 *   "Мене б'ють" · "мене бьют" · "mene b'yut" · "MENE BJUT" → "mene biut"
 *   "менің паспортымды алып қойды" · "менин паспортымды алып койды"
 *   "palīdziet" · "palidziet" · "paliidziet"           → "palidziet"
 *   "пaспopт" (Latin a and p inside Cyrillic)          → "pasport"
 *
 * Steps: Unicode compatibility form; lower case; marks stripped (й→и, ё→е,
 * ā→a, ş→s, and the dot JavaScript leaves on a lower-cased Turkic İ); the
 * letters people substitute folded together (Kazakh ә ғ қ ң ө ұ ү һ і and
 * Ukrainian і ґ є to their plain Cyrillic look-alikes, Azerbaijani ə and ı);
 * Latin look-alikes inside a Cyrillic word, and Cyrillic look-alikes inside a
 * Latin one, to the word's own script; Cyrillic written in Latin letters
 * (transliteration, every common way of it); and finally one Latin skeleton
 * in which the usual spellings of a sound meet (sh·š·ш, ch·č·ч, ya·ja·ia·я,
 * kh·x·h·х, "4" for ч inside a Latin word, repeated letters once; no rule reaches across the end of a
 * stem, so "document*" still matches "documents"). Both sides go through the same function,
 * so a phrase written properly matches every spelling that folds to the same.
 */

/** Kazakh, Ukrainian, Belarusian and Azerbaijani letters to the plain letters people type instead. */
const SUBSTITUTES: Record<string, string> = {
  ә: "а", ғ: "г", қ: "к", ң: "н", ө: "о", ұ: "у", ү: "у", һ: "х", і: "и",
  ґ: "г", є: "е", ў: "у",
  ə: "e", ı: "i", ß: "ss", æ: "ae", ø: "o",
};

/** Cyrillic to Latin, in the spelling the skeleton uses (after the substitutes above). */
const CYRILLIC: Record<string, string> = {
  а: "a", б: "b", в: "v", г: "g", д: "d", е: "e", ж: "zh", з: "z", и: "i", к: "k", л: "l", м: "m",
  н: "n", о: "o", п: "p", р: "r", с: "s", т: "t", у: "u", ф: "f", х: "h", ц: "ts", ч: "ch", ш: "sh",
  щ: "sh", ъ: "", ы: "y", ь: "", э: "e", ю: "yu", я: "ya",
};

/** Letters that look the same in both scripts (lower case, after the steps above). */
const LATIN_LOOKALIKES: Record<string, string> = { a: "а", c: "с", e: "е", o: "о", p: "р", x: "х", y: "у", k: "к", m: "м", t: "т", i: "и", h: "н", b: "в" };
const CYRILLIC_LOOKALIKES: Record<string, string> = Object.fromEntries(
  Object.entries(LATIN_LOOKALIKES).filter(([latin]) => !["h", "b"].includes(latin)).map(([latin, cyr]) => [cyr, latin]),
);

/** The Latin skeleton: spellings of one sound made one (applied in this order). */
const SKELETON: [RegExp, string][] = [
  [/shch|sch/g, "s"],
  [/sh/g, "s"],
  [/ch/g, "c"],
  [/zh/g, "z"],
  [/kh/g, "h"],
  [/x/g, "h"],
  // Ukrainian г is written "h" in Latin letters, Russian х "h" as often as "kh": г·х·g·h meet.
  [/g/g, "h"],
  [/q/g, "k"],
  [/w/g, "v"],
  [/[jy]/g, "i"],
  // є and е are written "ye"/"ie"/"je" as often as "e".
  [/ie/g, "e"],
  // A letter typed twice or more ("pleeease", Latvian "paliidziet", "ии" from "ий") counts once.
  [/(\p{L})\1+/gu, "$1"],
];

const CYRILLIC_LETTER = /\p{Script=Cyrillic}/u;
const LATIN_LETTER = /\p{Script=Latin}/u;

/** Within one word, letters of the minority script that look like the majority's are read as the majority's. */
function oneScript(word: string): string {
  let cyrillic = 0;
  let latin = 0;
  for (const ch of word) {
    if (CYRILLIC_LETTER.test(ch)) cyrillic++;
    else if (LATIN_LETTER.test(ch)) latin++;
  }
  if (!cyrillic || !latin) return word;
  const table = cyrillic >= latin ? LATIN_LOOKALIKES : CYRILLIC_LOOKALIKES;
  return [...word].map((ch) => table[ch] ?? ch).join("");
}

/** Digits that Russian written in Latin letters uses for letters it lacks ("xo4u" = хочу, "6kola" = школа). */
const DIGIT_LETTERS: Record<string, string> = { "4": "ch", "6": "sh" };

export function fold(text: string): string {
  const lower = text
    .normalize("NFKC")
    .toLowerCase()
    .normalize("NFD")
    .replace(/\p{M}+/gu, "")
    // Only inside a word of Latin letters: "mne 16" keeps its number.
    .replace(/(?<=[a-z])[46]|[46](?=[a-z])/g, (d) => DIGIT_LETTERS[d] ?? d);
  const substituted = [...lower].map((ch) => SUBSTITUTES[ch] ?? ch).join("");
  // Apostrophes inside a word (б'ють, don't, ko'mak) join it; anything else that is not a letter or digit separates.
  const words = substituted.replace(/(\p{L})['’`ʼ‘´](\p{L})/gu, "$1$2").split(/[^\p{L}\p{N}]+/u).filter(Boolean);
  return words
    .map((word) => {
      const latin = [...oneScript(word)].map((ch) => CYRILLIC[ch] ?? ch).join("");
      return SKELETON.reduce((w, [pattern, replacement]) => w.replace(pattern, replacement), latin);
    })
    .filter(Boolean)
    .join(" ");
}

/** The ЙЦУКЕН layout on QWERTY keys: what a Cyrillic text becomes when typed with the English layout on. */
const QWERTY_TO_CYRILLIC: Record<string, string> = Object.fromEntries(
  [..."qwertyuiop[]asdfghjkl;'zxcvbnm,.`"].map((key, i) => [key, [..."йцукенгшщзхъфывапролджэячсмитьбюё"][i]!]),
);

const CYRILLIC_TO_QWERTY: Record<string, string> = Object.fromEntries(Object.entries(QWERTY_TO_CYRILLIC).map(([key, letter]) => [letter, key]));

/**
 * The same text read as if it had been typed with the other layout on: Latin
 * keys meant as ЙЦУКЕН ("vtyz ,m.n" → "меня бьют"), or Cyrillic letters meant
 * as QWERTY ("ру ащксув ьу" → "he forced me": English, Latvian or Azerbaijani
 * typed while the Russian layout was on). Word by word, so a plea typed on the
 * wrong layout and then "sorry wrong keyboard" typed on the right one is read
 * too; undefined when the text has no letters.
 */
export function fromWrongLayout(text: string): string | undefined {
  if (!CYRILLIC_LETTER.test(text) && !/[a-z]/i.test(text)) return undefined;
  return text
    .toLowerCase()
    .split(/(\s+)/)
    .map((word) => {
      const map = CYRILLIC_LETTER.test(word) ? CYRILLIC_TO_QWERTY : QWERTY_TO_CYRILLIC;
      return [...word].map((ch) => map[ch] ?? ch).join("");
    })
    .join("");
}
