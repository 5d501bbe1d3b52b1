/* SPDX-License-Identifier: MIT */
/*
 * --plot DIR: the samples taken every N events as line charts, one SVG file
 * each (plain SVG 1.1, readable in any browser), and the same as PNG through
 * gnuplot when it is installed:
 *
 *   free-pages.svg      free pages per zone
 *   free-blocks.svg     free blocks per order (all zones)
 *   unusable-index.svg  the unusable free space index per order, of the largest zone
 *   extfrag-index.svg   the fragmentation index per order, of the largest zone
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "replay.h"

#define W 900
#define H 480
#define ML 80	/* margins: left, right, top, bottom */
#define MR 150
#define MT 40
#define MB 50

struct series {
	const char *name;
	double *y;
};

static const char *const colours[] = { "#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd",
				       "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf",
				       "#000000" };

static void xml_text(FILE *f, const char *s)
{
	for (; *s; s++) {
		if (*s == '<')
			fputs("&lt;", f);
		else if (*s == '>')
			fputs("&gt;", f);
		else if (*s == '&')
			fputs("&amp;", f);
		else
			fputc(*s, f);
	}
}

static int svg_chart(const char *path, const char *title, const char *ylabel, const double *x,
		     size_t n, const struct series *s, int ns, double ymin_fixed, bool fixed)
{
	FILE *f = fopen(path, "w");
	double xmin = n ? x[0] : 0, xmax = n ? x[n - 1] : 1, ymin = 0, ymax = 1;

	if (!f)
		return -1;
	if (!fixed) {
		ymax = 0;
		for (int k = 0; k < ns; k++)
			for (size_t i = 0; i < n; i++)
				if (s[k].y[i] > ymax)
					ymax = s[k].y[i];
		if (ymax <= 0)
			ymax = 1;
		ymax *= 1.05;
	} else {
		ymin = ymin_fixed;
	}
	if (xmax <= xmin)
		xmax = xmin + 1;
	fprintf(f, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
		   "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\">\n",
		W, H, W, H);
	fprintf(f, "<rect width=\"100%%\" height=\"100%%\" fill=\"white\"/>\n");
	fprintf(f, "<text x=\"%d\" y=\"24\" font-family=\"sans-serif\" font-size=\"16\">", ML);
	xml_text(f, title);
	fprintf(f, "</text>\n");
	/* axes and grid: five steps each way */
	for (int i = 0; i <= 5; i++) {
		double yv = ymin + (ymax - ymin) * i / 5, xv = xmin + (xmax - xmin) * i / 5;
		int py = H - MB - (H - MT - MB) * i / 5, px = ML + (W - ML - MR) * i / 5;

		fprintf(f, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#ddd\"/>\n", ML, py,
			W - MR, py);
		fprintf(f, "<text x=\"%d\" y=\"%d\" font-family=\"sans-serif\" font-size=\"11\" text-anchor=\"end\">%.*f</text>\n",
			ML - 6, py + 4, fixed ? 2 : 0, yv);
		fprintf(f, "<text x=\"%d\" y=\"%d\" font-family=\"sans-serif\" font-size=\"11\" text-anchor=\"middle\">%.0f</text>\n",
			px, H - MB + 16, xv);
	}
	fprintf(f, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"black\"/>\n", ML, H - MB,
		W - MR, H - MB);
	fprintf(f, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"black\"/>\n", ML, MT, ML,
		H - MB);
	fprintf(f, "<text x=\"%d\" y=\"%d\" font-family=\"sans-serif\" font-size=\"12\" text-anchor=\"middle\">events replayed</text>\n",
		ML + (W - ML - MR) / 2, H - 12);
	fprintf(f, "<text x=\"16\" y=\"%d\" font-family=\"sans-serif\" font-size=\"12\" transform=\"rotate(-90 16 %d)\" text-anchor=\"middle\">",
		MT + (H - MT - MB) / 2, MT + (H - MT - MB) / 2);
	xml_text(f, ylabel);
	fprintf(f, "</text>\n");
	for (int k = 0; k < ns; k++) {
		const char *c = colours[k % 11];

		fprintf(f, "<polyline fill=\"none\" stroke=\"%s\" stroke-width=\"1.5\" points=\"", c);
		for (size_t i = 0; i < n; i++) {
			double yv = s[k].y[i] < ymin ? ymin : s[k].y[i] > ymax ? ymax : s[k].y[i];

			fprintf(f, "%.1f,%.1f ", ML + (x[i] - xmin) / (xmax - xmin) * (W - ML - MR),
				H - MB - (yv - ymin) / (ymax - ymin) * (H - MT - MB));
		}
		fprintf(f, "\"/>\n");
		fprintf(f, "<rect x=\"%d\" y=\"%d\" width=\"12\" height=\"3\" fill=\"%s\"/>\n", W - MR + 12,
			MT + 16 * k + 6, c);
		fprintf(f, "<text x=\"%d\" y=\"%d\" font-family=\"sans-serif\" font-size=\"12\">", W - MR + 30,
			MT + 16 * k + 11);
		xml_text(f, s[k].name);
		fprintf(f, "</text>\n");
	}
	fprintf(f, "</svg>\n");
	return fclose(f) ? -1 : 0;
}

/* The same chart through gnuplot, when it is on the PATH: a data file and a script. */
static void png_chart(const char *dir, const char *base, const char *title, const double *x,
		      size_t n, const struct series *s, int ns)
{
	char dat[4096], gp[4096], png[4096];
	FILE *f;
	pid_t pid;
	int status;

	snprintf(dat, sizeof(dat), "%s/%s.dat", dir, base);
	snprintf(gp, sizeof(gp), "%s/%s.gp", dir, base);
	snprintf(png, sizeof(png), "%s/%s.png", dir, base);
	f = fopen(dat, "w");
	if (!f)
		return;
	for (size_t i = 0; i < n; i++) {
		fprintf(f, "%.0f", x[i]);
		for (int k = 0; k < ns; k++)
			fprintf(f, " %g", s[k].y[i]);
		fprintf(f, "\n");
	}
	fclose(f);
	f = fopen(gp, "w");
	if (!f)
		return;
	fprintf(f, "set terminal png size %d,%d\nset output '%s'\nset title '%s'\nset xlabel 'events replayed'\nplot ",
		W, H, png, title);
	for (int k = 0; k < ns; k++)
		fprintf(f, "%s'%s' using 1:%d with lines title '%s'", k ? ", " : "", dat, k + 2, s[k].name);
	fprintf(f, "\n");
	fclose(f);
	pid = fork();
	if (pid == 0) {
		execlp("gnuplot", "gnuplot", gp, (char *)NULL);
		_exit(127);
	}
	if (pid > 0)
		waitpid(pid, &status, 0);
	unlink(gp);
	unlink(dat);
}

static bool have_gnuplot(void)
{
	const char *path = getenv("PATH");
	char buf[4096];

	while (path && *path) {
		size_t n = strcspn(path, ":");

		snprintf(buf, sizeof(buf), "%.*s/gnuplot", (int)n, path);
		if (!access(buf, X_OK))
			return true;
		path += n + (path[n] == ':');
	}
	return false;
}

static int chart(const char *dir, const char *base, const char *title, const char *ylabel,
		 const double *x, size_t n, const struct series *s, int ns, double ymin, bool fixed)
{
	char path[4096];

	snprintf(path, sizeof(path), "%s/%s.svg", dir, base);
	if (svg_chart(path, title, ylabel, x, n, s, ns, ymin, fixed)) {
		fprintf(stderr, "kmm replay: %s: %s\n", path, strerror(errno));
		return -1;
	}
	if (have_gnuplot())
		png_chart(dir, base, title, x, n, s, ns);
	return 0;
}

int replay_plot(const struct replay *r, const char *dir)
{
	size_t n = r->nr_samples;
	double *x, *ys;
	struct series s[REPLAY_MAX_ORDER + REPLAY_MAX_ZONES];
	static char names[REPLAY_MAX_ORDER][16];
	int big = 0, nz = r->end.nr_zones, ret = 0;

	if (mkdir(dir, 0777) && errno != EEXIST) {
		fprintf(stderr, "kmm replay: --plot %s: %s\n", dir, strerror(errno));
		return -1;
	}
	if (!n) {
		fprintf(stderr, "kmm replay: --plot: no samples (the trace is shorter than --every)\n");
		return -1;
	}
	x = calloc(n, sizeof(*x));
	ys = calloc(n * (REPLAY_MAX_ORDER + REPLAY_MAX_ZONES), sizeof(*ys));
	if (!x || !ys) {
		free(x);
		free(ys);
		fprintf(stderr, "kmm replay: out of memory\n");
		return -1;
	}
	for (size_t i = 0; i < n; i++)
		x[i] = (double)r->samples[i].event;
	/* the zone with the most memory at the end is the one whose fragmentation matters */
	for (int z = 1; z < nz; z++) {
		unsigned long a = 0, b = 0;

		for (int o = 0; o < REPLAY_MAX_ORDER; o++) {
			a += r->end.free_blocks[z][o] << o;
			b += r->end.free_blocks[big][o] << o;
		}
		if (a > b)
			big = z;
	}
	for (int z = 0; z < nz; z++) {
		s[z].name = r->end.zone[z];
		s[z].y = ys + (size_t)z * n;
		for (size_t i = 0; i < n; i++)
			s[z].y[i] = (double)r->samples[i].free_pages[z];
	}
	ret |= chart(dir, "free-pages", "Free pages per zone", "free pages", x, n, s, nz, 0, false);
	for (int o = 0; o < REPLAY_MAX_ORDER; o++) {
		snprintf(names[o], sizeof(names[o]), "order %d", o);
		s[o].name = names[o];
		s[o].y = ys + (size_t)o * n;
		for (size_t i = 0; i < n; i++) {
			s[o].y[i] = 0;
			for (int z = 0; z < r->samples[i].nr_zones; z++)
				s[o].y[i] += (double)r->samples[i].free_blocks[z][o];
		}
	}
	ret |= chart(dir, "free-blocks", "Free blocks per order (all zones)", "free blocks", x, n, s,
		     REPLAY_MAX_ORDER, 0, false);
	for (int o = 0; o < REPLAY_MAX_ORDER; o++)
		for (size_t i = 0; i < n; i++)
			s[o].y[i] = r->samples[i].unusable[big][o] / 1000.0;
	{
		char t[96];

		snprintf(t, sizeof(t), "Unusable free space index per order, zone %s", r->end.zone[big]);
		ret |= chart(dir, "unusable-index", t, "index (0..1)", x, n, s, REPLAY_MAX_ORDER, 0, true);
		for (int o = 0; o < REPLAY_MAX_ORDER; o++)
			for (size_t i = 0; i < n; i++)
				s[o].y[i] = r->samples[i].extfrag[big][o] / 1000.0;
		snprintf(t, sizeof(t), "Fragmentation index per order, zone %s (-1: would succeed)",
			 r->end.zone[big]);
		ret |= chart(dir, "extfrag-index", t, "index (-1, 0..1)", x, n, s, REPLAY_MAX_ORDER, -1,
			     true);
	}
	free(x);
	free(ys);
	return ret ? -1 : 0;
}
