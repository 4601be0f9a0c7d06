/*
 * html_check.h — structural checks of the html writer's pages.
 */
#ifndef RUBRIC_HTML_CHECK_H
#define RUBRIC_HTML_CHECK_H

/* Fail the test unless every element of html is closed in order.  The
 * writer quotes attributes and escapes '<' and '>' in text, so a tag ends
 * at its first '>'; the doctype and void elements have no end tag. */
void assert_tags_balance(const char *html);

/* Fail the test when the page would fetch anything: a tag naming a URL
 * (http:, https:, //, src=), a script, link, image or frame element, or
 * url() or @import in the style sheet.  Text may say anything. */
void assert_self_contained(const char *html);

#endif /* RUBRIC_HTML_CHECK_H */
