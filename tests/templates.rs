//! Template stories and figures, through the real binary: briefs cast in one template are kept
//! apart by the figures in their places, and copies of one story whose update paragraphs add
//! figures of their own stay together.

mod util;

use util::{groups, run_json, Dir};

/// A weather brief from one template, as two sites would print it (`site` changes the chrome).
fn weather(site: &str, city: &str, figures: [i32; 5]) -> String {
    let [low, high, night, wind, rain] = figures;
    format!(
        "{site} | Weather\n\n\
         Weather: up to {high} C in {city} on Tuesday\n\n\
         Forecasters expect a mostly sunny day in the {city} region on Tuesday, with daytime \
         temperatures between {low} and {high} degrees Celsius.\n\
         Overnight temperatures will drop to {night} degrees. Wind from the north will reach \
         speeds of up to {wind} kilometres per hour, and the probability of precipitation is \
         {rain} percent.\n\
         The national weather service said conditions should remain similar until the weekend. \
         Drivers are advised to take extra care on mountain roads and in areas with fog.\n\n\
         (c) {site}. All rights reserved.\n"
    )
}

#[test]
fn weather_briefs_sharing_two_of_five_figures_as_a_bag_stay_apart() {
    // Brief B's figures are 2 of 5 of brief A's as a bag (its low is A's night, its rain is
    // A's rain), which once sat exactly on the old veto's 40 % tie and joined them.
    let dir = Dir::new();
    let a = [4, 13, 2, 34, 35];
    let b = [2, 10, 5, 28, 35];
    dir.write("north/a.txt", weather("North Herald", "Cardiff", a));
    dir.write("south/a.txt", weather("South Courier", "Cardiff", a));
    dir.write("north/b.txt", weather("North Herald", "Cardiff", b));
    dir.write("south/b.txt", weather("South Courier", "Cardiff", b));
    let report = run_json(&[
        "dedup",
        dir.path().to_str().expect("utf-8 path"),
        "--progress",
        "never",
    ]);
    assert_eq!(
        groups(&report),
        vec![
            vec!["north/a.txt".to_string(), "south/a.txt".to_string()],
            vec!["north/b.txt".to_string(), "south/b.txt".to_string()],
        ]
    );
}

#[test]
fn copies_whose_update_paragraphs_add_their_own_figures_stay_together() {
    // The story has two figures; each copy appends an update with four figures of its own, in
    // places the other copy does not have. As a bag they share 2 of 6 figures (under the old
    // 40 % veto); in their places every shared one agrees.
    let dir = Dir::new();
    let story = format!(
        "{}\nThe council approved 4350 new homes and a budget of 118 million for the harbour \
         district, officials said after the vote.\n{}",
        util::prose(11, 200),
        util::prose(12, 200)
    );
    dir.write(
        "east/story.txt",
        format!(
            "{story}\nUpdate: police reported 7 arrests, 12 injured, 3 closed roads and 95 \
             emergency calls overnight in the capital region.\n"
        ),
    );
    dir.write(
        "west/story.txt",
        format!(
            "{story}\nLatest: organisers counted 640 marchers, 28 banners, 9 speeches and 61 \
             volunteers at the rally in the old square today.\n"
        ),
    );
    let report = run_json(&[
        "dedup",
        dir.path().to_str().expect("utf-8 path"),
        "--progress",
        "never",
    ]);
    assert_eq!(
        groups(&report),
        vec![vec![
            "east/story.txt".to_string(),
            "west/story.txt".to_string()
        ]]
    );
}
