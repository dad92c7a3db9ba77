/*
 * show_page.h - the page of 'netlab show' (show_page.html), inside the
 * binary: show_page_end - show_page bytes, followed by a NUL.
 */
#ifndef NETLAB_SHOW_PAGE_H
#define NETLAB_SHOW_PAGE_H

extern const char show_page[];
extern const char show_page_end[];

#endif
