export type Theme = {
  id: string;
  label: string;
  /** Lower-case words or word stems; a lesson mentioning one gets the theme. */
  keywords: string[];
};
