/** Reading SQL-file migrations: names, markers, statements into steps. Not API. */
package io.querk.internal.sqlfile;
