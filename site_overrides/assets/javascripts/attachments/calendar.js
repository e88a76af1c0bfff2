/* Working days as the engine decided them at build time (templates/workdays.json, written by
   generator/site/pages/attachments.py from generator.engine.is_workday). This module only looks
   dates up in each year's list of working days; it never decides itself whether a day is worked.
   A year missing from the file is reported as {missing: year}, never guessed. */

export async function loadCalendar(url) {
  const response = await fetch(url, { credentials: "same-origin" });
  if (!response.ok) throw new Error("无法读取节假日数据（" + response.status + "）");
  return response.json();
}

function yearOf(iso) { return Number(iso.slice(0, 4)); }

/** The n-th working day counted from startIso inclusive: {date} or {missing: year}. */
export function nthWorkday(calendar, startIso, n) {
  let seen = 0;
  for (let year = yearOf(startIso), guard = 0; guard < 40; year++, guard++) {
    const known = calendar.years[String(year)];
    if (!known) return { missing: year };
    for (const day of known.working_days) {
      if (day >= startIso && ++seen === n) return { date: day };
    }
  }
  return { missing: yearOf(startIso) + 40 };
}

/** Working days from startIso to endIso, both inclusive: {count} or {missing: year}. */
export function countWorkdays(calendar, startIso, endIso) {
  if (endIso < startIso) return { count: 0 };
  let count = 0;
  for (let year = yearOf(startIso); year <= yearOf(endIso); year++) {
    const known = calendar.years[String(year)];
    if (!known) return { missing: year };
    for (const day of known.working_days) if (day >= startIso && day <= endIso) count++;
  }
  return { count };
}
