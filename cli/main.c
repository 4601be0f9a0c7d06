/* main.c — placeholder until the command is written. */
#include <stdio.h>

#include "rubric.h"

int main(void)
{
    puts("rubric " RUBRIC_VERSION_STRING);
    return 0;
}
