/*
 * show_page.c - show_page.html built into the binary, byte for byte.
 *
 * The assembler's .incbin directive copies a file into the object as it
 * assembles it: the page needs no converter, no generated C array and no
 * tool beyond gcc, binutils and make. The path is the build's (make runs
 * from the top of the tree); the Makefile rebuilds this object when the
 * page changes. A NUL after the page makes it a C string too.
 */
#include "show_page.h"

__asm__(".pushsection .rodata\n"
	".global show_page\n"
	".type show_page, @object\n"
	"show_page:\n"
	".incbin \"src/tools/show_page.html\"\n"
	".global show_page_end\n"
	"show_page_end:\n"
	".byte 0\n"
	".popsection\n");
