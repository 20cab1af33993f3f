package figure

// LowerBack is a picture of each exercise of the built-in lower-back routine,
// and of its variant, in the routine's order. Side views face right.
var LowerBack = []Picture{
	{
		Name:  "trunk-rotation",
		Props: []Prop{Mat},
		Pose: Pose{
			Head: P{78, 282}, Neck: P{102, 290}, Hip: P{200, 290},
			Near: Limbs{Elbow: P{140, 294}, Hand: P{180, 294}, Knee: P{262, 250}, Ankle: P{296, 293}, Toe: P{316, 294}},
			Far:  Limbs{Elbow: P{140, 290}, Hand: P{176, 290}, Knee: P{252, 232}, Ankle: P{290, 290}, Toe: P{310, 291}},
		},
		// The knees lower to one side and come back.
		Arrows: []Arrow{{From: P{262, 200}, Via: P{320, 196}, To: P{330, 250}}},
	},
	{
		Name:  "cat-cow",
		Props: []Prop{Floor, Counter},
		Pose: Pose{
			Head: P{332, 156}, Neck: P{318, 128}, Hip: P{228, 150}, Spine: &P{268, 84},
			Near: Limbs{Elbow: P{345, 150}, Hand: P{372, 168}, Knee: P{228, 222}, Ankle: P{226, 294}, Toe: P{248, 297}},
			Far:  Limbs{Elbow: P{342, 148}, Hand: P{366, 168}, Knee: P{236, 222}, Ankle: P{236, 294}, Toe: P{258, 297}},
		},
		// Round the back up (cat), then let it drop (cow).
		Arrows: []Arrow{{From: P{232, 100}, Via: P{270, 50}, To: P{312, 88}}},
	},
	{
		Name:  "side-bend",
		Props: []Prop{Floor},
		// A front view: the figure bends to its side, arms overhead.
		Pose: Pose{
			Head: P{206, 72}, Neck: P{216, 100}, Hip: P{250, 180}, Spine: &P{246, 128},
			Near: Limbs{Elbow: P{178, 62}, Hand: P{160, 20}, Knee: P{234, 240}, Ankle: P{224, 296}, Toe: P{210, 298}},
			Far:  Limbs{Elbow: P{208, 52}, Hand: P{176, 16}, Knee: P{268, 240}, Ankle: P{276, 296}, Toe: P{290, 298}},
		},
		Arrows: []Arrow{{From: P{300, 60}, Via: P{250, 8}, To: P{180, 0 + 2}}},
	},
	{
		Name:  "childs-pose",
		Props: []Prop{Mat},
		Pose: Pose{
			Head: P{296, 280}, Neck: P{272, 268}, Hip: P{160, 250}, Spine: &P{214, 232},
			Near: Limbs{Elbow: P{330, 294}, Hand: P{384, 294}, Knee: P{240, 292}, Ankle: P{150, 292}, Toe: P{126, 294}},
			Far:  Limbs{Elbow: P{328, 290}, Hand: P{380, 290}, Knee: P{236, 288}, Ankle: P{148, 288}, Toe: P{124, 290}},
		},
		// Hips sink back toward the heels.
		Arrows: []Arrow{{From: P{196, 200}, Via: P{160, 190}, To: P{140, 212}}},
	},
	{
		Name:  "childs-pose-counter",
		Props: []Prop{Floor, Counter},
		Pose: Pose{
			Head: P{326, 180}, Neck: P{300, 172}, Hip: P{190, 172},
			Near: Limbs{Elbow: P{336, 170}, Hand: P{372, 166}, Knee: P{184, 234}, Ankle: P{180, 294}, Toe: P{202, 297}},
			Far:  Limbs{Elbow: P{334, 166}, Hand: P{368, 164}, Knee: P{194, 234}, Ankle: P{192, 294}, Toe: P{214, 297}},
		},
		// The backside moves back, the back stays flat.
		Arrows: []Arrow{{From: P{200, 136}, Via: P{170, 124}, To: P{140, 136}}},
	},
	{
		Name:  "lumbar-extension",
		Props: []Prop{Floor, Chair},
		Pose: Pose{
			Head: P{204, 84}, Neck: P{196, 112}, Hip: P{178, 204}, Spine: &P{208, 160},
			Near: Limbs{Elbow: P{206, 160}, Hand: P{236, 196}, Knee: P{262, 204}, Ankle: P{262, 294}, Toe: P{284, 297}},
			Far:  Limbs{Elbow: P{200, 158}, Hand: P{232, 192}, Knee: P{256, 200}, Ankle: P{256, 294}, Toe: P{278, 297}},
		},
		// The chest lifts.
		Arrows: []Arrow{{From: P{240, 150}, Via: P{250, 120}, To: P{240, 88}}},
	},
	{
		Name:  "hamstring-stretch",
		Props: []Prop{Floor, Chair},
		Pose: Pose{
			Head: P{252, 104}, Neck: P{234, 126}, Hip: P{178, 204},
			Near: Limbs{Elbow: P{262, 164}, Hand: P{296, 196}, Knee: P{262, 218}, Ankle: P{338, 282}, Toe: P{346, 262}},
			Far:  Limbs{Elbow: P{256, 160}, Hand: P{290, 192}, Knee: P{256, 202}, Ankle: P{256, 294}, Toe: P{278, 297}},
		},
		// Reach the chest toward the straight leg's knee.
		Arrows: []Arrow{{From: P{250, 74}, Via: P{290, 80}, To: P{306, 118}}},
	},
	{
		Name:  "bridge",
		Props: []Prop{Mat},
		Pose: Pose{
			Head: P{82, 286}, Neck: P{108, 290}, Hip: P{218, 240},
			Near: Limbs{Elbow: P{150, 294}, Hand: P{196, 294}, Knee: P{288, 214}, Ankle: P{318, 292}, Toe: P{338, 294}},
			Far:  Limbs{Elbow: P{150, 290}, Hand: P{192, 290}, Knee: P{282, 208}, Ankle: P{310, 290}, Toe: P{330, 291}},
		},
		// The hips lift.
		Arrows: []Arrow{{From: P{218, 284}, Via: P{214, 250}, To: P{218, 200}}},
	},
	{
		Name:  "seated-marching",
		Props: []Prop{Floor, Chair},
		Pose: Pose{
			Head: P{188, 86}, Neck: P{186, 112}, Hip: P{180, 204},
			Near: Limbs{Elbow: P{198, 156}, Hand: P{222, 190}, Knee: P{256, 166}, Ankle: P{262, 246}, Toe: P{284, 250}},
			Far:  Limbs{Elbow: P{206, 72}, Hand: P{214, 28}, Knee: P{256, 204}, Ankle: P{258, 294}, Toe: P{280, 297}},
		},
		// Knee and opposite arm rise together.
		Arrows: []Arrow{{From: P{300, 214}, Via: P{306, 180}, To: P{292, 150}}, {From: P{248, 96}, Via: P{254, 66}, To: P{240, 36}}},
	},
	{
		Name:  "all-fours",
		Props: []Prop{Mat},
		Pose: Pose{
			Head: P{342, 200}, Neck: P{318, 214}, Hip: P{196, 214},
			Near: Limbs{Elbow: P{322, 256}, Hand: P{326, 296}, Knee: P{132, 222}, Ankle: P{70, 230}, Toe: P{52, 238}},
			Far:  Limbs{Elbow: P{316, 254}, Hand: P{318, 292}, Knee: P{194, 292}, Ankle: P{116, 292}, Toe: P{96, 294}},
		},
		// One leg slides back, knee straight, hips level.
		Arrows: []Arrow{{From: P{150, 184}, Via: P{110, 176}, To: P{66, 190}}},
	},
}
