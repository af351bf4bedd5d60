/* Task Force: the one script that runs before the page is drawn (in <head>, not deferred).
 *
 * Without JavaScript the mobile menu is part of the page (html.no-js); with it, the menu is a
 * drawer. Saying so before the first paint keeps the page from jumping when the deferred
 * scripts start (cumulative layout shift); app.js does the rest.
 */
document.documentElement.classList.remove("no-js");
document.documentElement.classList.add("js");
