// A number of seconds as people read it in summaries and on the report page.

/** 3725 -> "1h 2m 5s"; 0 -> "0s"; fractions of a second are rounded. */
export function duration(seconds: number): string {
  const whole = Math.round(Math.abs(seconds));
  const parts = [[Math.floor(whole / 86_400), "d"], [Math.floor((whole % 86_400) / 3600), "h"], [Math.floor((whole % 3600) / 60), "m"], [whole % 60, "s"]] as const;
  const shown = parts.filter(([n]) => n > 0).map(([n, unit]) => `${n}${unit}`);
  return `${seconds < 0 ? "-" : ""}${shown.length === 0 ? "0s" : shown.join(" ")}`;
}
