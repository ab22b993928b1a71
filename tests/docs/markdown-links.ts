// Relative links in the project's Markdown pages: each must name an existing file or folder of the
// repository and, with a #fragment, a heading of the Markdown page it names (GitHub's heading anchors).
import * as fs from "fs";
import * as path from "path";

export interface Link {
  target: string;
  line: number;
}

/** Blanks fenced code blocks and inline code spans, keeping line numbers, so text in code is never a link. */
export function withoutCode(markdown: string): string {
  const blank = (text: string) => text.replace(/[^\n]/g, " ");
  return markdown.replace(/^(```|~~~)[^\n]*\n[\s\S]*?^\1[^\n]*$/gm, blank).replace(/(`+)[^`]*?\1/g, blank);
}

/** Inline links and images `[text](target "title")` outside code, with the line each starts on. */
export function linksOf(markdown: string): Link[] {
  const text = withoutCode(markdown);
  const links: Link[] = [];
  for (const match of text.matchAll(/\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)) {
    const target = match[1];
    if (target === undefined) continue;
    links.push({ target, line: text.slice(0, match.index).split("\n").length });
  }
  return links;
}

/** GitHub's anchor of a heading: lower case, punctuation other than - and _ dropped, each space a hyphen. */
export function slugOf(heading: string): string {
  return heading
    .replace(/\[([^\]]*)\]\([^)]*\)/g, "$1")
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, "")
    .replace(/\s/g, "-");
}

/** Every heading anchor of a page; a repeated heading gets -1, -2, ... as on GitHub. */
export function anchorsOf(markdown: string): Set<string> {
  const anchors = new Set<string>();
  const seen = new Map<string, number>();
  for (const match of withoutCode(markdown).matchAll(/^#{1,6}\s+(.+?)\s*#*\s*$/gm)) {
    const base = slugOf(match[1] ?? "");
    const count = seen.get(base) ?? 0;
    seen.set(base, count + 1);
    anchors.add(count === 0 ? base : `${base}-${count}`);
  }
  return anchors;
}

const EXTERNAL = /^[a-z][a-z0-9+.-]*:/i;

/** Each broken relative link of the pages (paths relative to root), as `page:line: target: why`. */
export function brokenLinks(root: string, pages: readonly string[]): string[] {
  const problems: string[] = [];
  for (const page of pages) {
    const pagePath = path.join(root, page);
    for (const { target, line } of linksOf(fs.readFileSync(pagePath, "utf8"))) {
      if (EXTERNAL.test(target)) continue;
      const problem = linkProblem(root, pagePath, target);
      if (problem !== undefined) problems.push(`${page}:${line}: ${target}: ${problem}`);
    }
  }
  return problems;
}

function linkProblem(root: string, pagePath: string, target: string): string | undefined {
  const hash = target.indexOf("#");
  const file = decodeURIComponent(hash < 0 ? target : target.slice(0, hash));
  const fragment = hash < 0 ? undefined : decodeURIComponent(target.slice(hash + 1));
  const resolved = file === "" ? pagePath : path.resolve(path.dirname(pagePath), file);
  const relative = path.relative(root, resolved);
  if (relative.startsWith("..") || path.isAbsolute(relative)) return "outside the repository";
  if (!fs.existsSync(resolved)) return "no such file";
  if (fragment === undefined) return undefined;
  if (!resolved.endsWith(".md") || !fs.statSync(resolved).isFile()) return "an anchor into something that is not a Markdown page";
  return anchorsOf(fs.readFileSync(resolved, "utf8")).has(fragment) ? undefined : `no heading with anchor #${fragment}`;
}
