// Where the headless browser is and how to start it, for the report page's browser test and `npm run report:screenshot`:
// BACKUP_DR_CHROMIUM, else the first of Debian's and Google's usual paths that exists (`.ci/run` installs Debian's).
import * as fs from "fs";
import puppeteer, { type Browser } from "puppeteer-core";

export const CHROMIUM_PATHS = ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"] as const;

/** The browser's executable, or undefined when there is none (BACKUP_DR_CHROMIUM set but missing counts as none). */
export function findChromium(env: NodeJS.ProcessEnv = process.env, exists: (p: string) => boolean = fs.existsSync): string | undefined {
  const chosen = env.BACKUP_DR_CHROMIUM;
  if (chosen !== undefined && chosen !== "") return exists(chosen) ? chosen : undefined;
  return CHROMIUM_PATHS.find((p) => exists(p));
}

/** Headless Chromium at `executablePath` (no sandbox: CI runs as root in a container). */
export function launchChromium(executablePath: string): Promise<Browser> {
  return puppeteer.launch({ executablePath, headless: true, args: ["--no-sandbox", "--headless=new"] });
}
