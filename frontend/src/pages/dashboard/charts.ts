// The charts library (@mantine/charts on recharts, about 140 kB gzip with its dependencies), in a chunk of its
// own: Dashboard.tsx loads it with import(), so the dashboard's figures show before the charts are drawn.
import '@mantine/charts/styles.css';

export { BarChart, DonutChart } from '@mantine/charts';
